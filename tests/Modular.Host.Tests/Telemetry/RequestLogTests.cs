using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Logging;
using Modular.Testing;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Modular.Host.Tests.Telemetry;

/// <summary>Each request leaves one log line an operator can search and join to its trace. See docs/adr/0024.</summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task A_request_is_logged_by_the_host_with_its_method_path_status_time_module_and_trace()
    {
        var logs = new CapturedLogs();
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("request_log"), ModuleCatalog.All,
            new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" },
            services => services.AddSingleton<ILogEventSink>(logs));

        var response = await host.Client.GetAsync("/api/catalog/products?page=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logged = await Eventually.Get(() => Task.FromResult(logs.Events.FirstOrDefault(e => Scalar(e, "RequestPath") == "/api/catalog/products")),
            e => e is not null, "the request to be logged");
        Assert.Equal(LogEventLevel.Information, logged!.Level);
        Assert.Equal(("GET", "200", "Catalog"), (Scalar(logged, "RequestMethod"), Scalar(logged, "StatusCode"), Scalar(logged, ModuleEnricher.PropertyName)));
        Assert.True(double.Parse(Scalar(logged, "Elapsed")!, CultureInfo.InvariantCulture) > 0);
        Assert.NotEqual(default(ActivityTraceId), logged.TraceId ?? default);
        Assert.NotEqual(default(ActivitySpanId), logged.SpanId ?? default);
        // The JSON a log pipeline ingests carries them as @tr and @sp.
        using var json = new StringWriter(CultureInfo.InvariantCulture);
        new RedactingFormatter(new RenderedCompactJsonFormatter()).Format(logged, json);
        Assert.Contains($"\"@tr\":\"{logged.TraceId}\"", json.ToString(), StringComparison.Ordinal);
        Assert.Contains($"\"@sp\":\"{logged.SpanId}\"", json.ToString(), StringComparison.Ordinal);
    }

    private static string? Scalar(LogEvent logEvent, string property) =>
        logEvent.Properties.TryGetValue(property, out var value) && value is ScalarValue { Value: var scalar }
            ? Convert.ToString(scalar, CultureInfo.InvariantCulture)
            : null;
}
