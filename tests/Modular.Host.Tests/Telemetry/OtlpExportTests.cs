using System.Net;
using Modular.BuildingBlocks.Logging;
using Modular.Testing;

namespace Modular.Host.Tests.Telemetry;

/// <summary>
/// With the standard OTEL_* settings a host sends its logs, spans and metrics to an OpenTelemetry collector, each log
/// joined to its trace and module; with <c>Modular:Telemetry:Enabled</c> off it records and sends none of them (what the
/// benchmark's "telemetry off" measures). See docs/adr/0024 and 0025.
/// </summary>
[Collection(ExportedMetrics.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Logs_spans_and_metrics_go_to_the_collector_each_log_joined_to_its_trace_and_module()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("otlp_export"), ModuleCatalog.All,
            Exporting(collector, ("Serilog:MinimumLevel:Default", "Information")));
        var path = $"/api/catalog/products/OTLP-{Guid.NewGuid():N}";

        var response = await host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var log = await Eventually.Get(() => Task.FromResult(collector.Logs.FirstOrDefault(l => l.Attribute("RequestPath") == path)),
            l => l is not null, $"the request log of {path} to reach the collector");
        Assert.Contains(path, log!.Body, StringComparison.Ordinal);
        Assert.Equal(("404", "Catalog"), (log.Attribute("StatusCode"), log.Attribute(ModuleEnricher.PropertyName)));
        Assert.Matches("^[0-9a-f]{32}$", log.TraceId);
        Assert.Matches("^[0-9a-f]{16}$", log.SpanId);
        // The operator jumps from the log line to its trace: the request's span went out under the same trace id.
        await Eventually.Get(() => Task.FromResult(collector.Spans.Where(s => s.TraceId == log.TraceId).ToList()),
            spans => spans.Any(s => s.Tag("url.path") == path && s.Tag("modular.module") == "Catalog"), $"the span of {path} in trace {log.TraceId}");
        await Eventually.Get(() => Task.FromResult(collector.MetricNames),
            names => names.Contains("http.server.request.duration") && names.Contains("modular.inbox.depth"), "the HTTP and module metrics to be pushed");
    }

    [Fact]
    public async Task With_the_log_exporter_set_to_none_spans_still_go_to_the_collector_and_logs_do_not()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("otlp_no_logs"), ModuleCatalog.All,
            Exporting(collector, ("Serilog:MinimumLevel:Default", "Information"), ("OTEL_LOGS_EXPORTER", "none")));
        var path = $"/api/catalog/products/NOLOGS-{Guid.NewGuid():N}";

        await host.Client.GetAsync(path);

        await Eventually.Get(() => Task.FromResult(collector.Spans.ToList()), spans => spans.Any(s => s.Tag("url.path") == path),
            $"the span of {path} at the collector");
        // Long enough for three rounds of the log exporter's schedule (200 ms).
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(collector.Logs);
    }

    [Fact]
    public async Task With_telemetry_off_nothing_is_recorded_or_sent_and_metrics_are_not_served()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("otlp_off"), ModuleCatalog.All,
            Exporting(collector, ("Serilog:MinimumLevel:Default", "Information"), ("Modular:Telemetry:Enabled", "false")));

        var answered = await host.Client.GetAsync("/api/catalog/products?page=1");
        var metrics = await host.Client.GetAsync("/metrics");
        // Long enough for three rounds of every exporter's schedule (traces and logs 200 ms, metrics 500 ms).
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Empty(collector.Spans);
        Assert.Empty(collector.Logs);
        Assert.Empty(collector.MetricNames);
    }

    private static Dictionary<string, string?> Exporting(OtlpReceiver collector, params (string Key, string Value)[] more) =>
        collector.Settings.Concat(collector.MetricSettings).Concat(more.Select(s => KeyValuePair.Create(s.Key, s.Value)))
            .ToDictionary(s => s.Key, string? (s) => s.Value);
}
