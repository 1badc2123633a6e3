using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Http;
using Modular.BuildingBlocks.Logging;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Sinks.OpenTelemetry;

namespace Modular.BuildingBlocks.Telemetry;

/// <summary>
/// Traces and logs (docs/adr/0024): one trace per order across modules and processes, every span and log event
/// naming its module, exported by OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and kept in
/// process otherwise.
/// </summary>
public sealed class TelemetrySettings
{
    public const string SectionName = "Modular:Telemetry";

    /// <summary>
    /// Off: no span is recorded, no meter is listened to, nothing is exported by OTLP and <c>/metrics</c> is not served;
    /// logs still go to the console. The order benchmark measures what on costs against it (scripts/bench-telemetry.sh).
    /// </summary>
    public bool Enabled { get; set; } = true;
}

public static class TelemetryExtensions
{
    /// <summary>The standard OpenTelemetry setting, read from configuration (so from the environment, or appsettings).</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string ServiceNameSetting = "OTEL_SERVICE_NAME";

    /// <summary>OpenTelemetry's standard switch for the log exporter: <c>none</c> keeps logs on the console only, for an
    /// endpoint that takes traces but not logs (Jaeger).</summary>
    public const string LogsExporterSetting = "OTEL_LOGS_EXPORTER";

    public const string DefaultServiceName = "modular";

    /// <summary>What Wolverine, Marten and Npgsql 9 trace under (Npgsql.OpenTelemetry on the feed needs Npgsql 10).</summary>
    public static readonly string[] Sources = [ModuleSpanProcessor.WolverineSource, "Marten", "Npgsql"];

    public static WebApplicationBuilder AddModularTelemetry(this WebApplicationBuilder builder, ModularOptions settings)
    {
        var configuration = builder.Configuration;
        var telemetry = configuration.GetSection(TelemetrySettings.SectionName).Get<TelemetrySettings>() ?? new TelemetrySettings();
        builder.Services.AddSingleton(telemetry);
        var otlp = telemetry.Enabled && !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        if (telemetry.Enabled)
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService(configuration[ServiceNameSetting] ?? DefaultServiceName))
                .WithTracing(tracing =>
                {
                    tracing.AddSource(Sources)
                        .AddAspNetCoreInstrumentation()
                        .AddHttpClientInstrumentation()
                        // Before any exporter: it completes the module tag of each span before the span is exported.
                        .AddProcessor<ModuleSpanProcessor>();
                    if (otlp)
                    {
                        tracing.AddOtlpExporter();
                    }
                });
        }

        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(configuration)
                .ReadFrom.Services(services)
                .Filter.ByExcluding(RetriedConflicts.IsRetriedAttempt)
                .Enrich.FromLogContext()
                .Enrich.With<ModuleEnricher>()
                // Last: it masks secrets in what the enrichers before it added too (docs/adr/0022).
                .Enrich.With<RedactingEnricher>();
            // Compact JSON writes the trace and span ids as @tr and @sp; the text format shows the trace id for grepping.
            logger.WriteTo.Console(new RedactingFormatter(string.Equals(settings.LogFormat, "json", StringComparison.OrdinalIgnoreCase)
                ? new RenderedCompactJsonFormatter()
                : new MessageTemplateTextFormatter(
                    "[{Timestamp:HH:mm:ss} {Level:u3}] {Module,-9} {Message:lj} <{SourceContext}> {TraceId}{NewLine}{Exception}", CultureInfo.InvariantCulture)));
            if (otlp && !string.Equals(configuration[LogsExporterSetting], "none", StringComparison.OrdinalIgnoreCase))
            {
                // The sink reads the same OTEL_* settings as the trace exporter; exceptions are masked as the console's are.
                logger.WriteTo.Sink(LoggerSinkConfiguration.Wrap(sink => new RedactingSink(sink), otlpSink => otlpSink.OpenTelemetry(
                    options => options.ResourceAttributes["service.name"] = configuration[ServiceNameSetting] ?? DefaultServiceName,
                    name => configuration[name])));
            }
        },
        // Each host gets its own logger rather than the process-wide Log.Logger, which the last host to start
        // would otherwise own (two hosts in one process: the tests, and a module host next to the gateway).
        preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// One log event per request: method, path, status, elapsed time, the endpoint's module, and the trace id as every
    /// event has it. Written to the host's logger: the default, the static <c>Log.Logger</c>, is one that
    /// <c>preserveStaticLogger</c> leaves silent (docs/adr/0024).
    /// </summary>
    public static WebApplication UseRequestLog(this WebApplication app)
    {
        var topology = app.Services.GetRequiredService<ModuleTopology>();
        app.UseSerilogRequestLogging(requests =>
        {
            requests.Logger = app.Services.GetRequiredService<ILogger>();
            // The endpoint's log scope has closed by the time the request is logged.
            requests.EnrichDiagnosticContext = (diagnostics, context) => diagnostics.Set(ModuleEnricher.PropertyName,
                (context.GetEndpoint() is { } endpoint ? ModuleGateway.ModuleOf(endpoint.Metadata, topology)?.Name : null) ?? ModuleEnricher.HostModuleName);
            // The path the client sent, not the versioned route it was served by (docs/adr/0038): the one its span shows.
            requests.GetMessageTemplateProperties = (context, _, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue(ApiVersions.RequestedPath(context).Value)),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
        });
        return app;
    }
}
