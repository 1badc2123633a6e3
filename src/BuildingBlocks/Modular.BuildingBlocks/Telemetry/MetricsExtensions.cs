using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Security;
using OpenTelemetry.Metrics;

namespace Modular.BuildingBlocks.Telemetry;

/// <summary>The <c>Modular:Metrics</c> section. See docs/adr/0025.</summary>
public sealed class MetricsSettings
{
    public const string SectionName = "Modular:Metrics";

    /// <summary>
    /// Off: no metric is exported and <see cref="Path"/> is not served; the operations console's live figures are still
    /// kept (<see cref="Operations.ModuleActivity"/>). <see cref="TelemetrySettings.Enabled"/> off turns this off too.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where Prometheus scrapes this process.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// True: anyone who reaches the port may scrape (keep the path off the public ingress). False: the scraper needs an
    /// admin token, which Prometheus sends with <c>authorization: credentials_file</c>.
    /// </summary>
    public bool AllowAnonymous { get; set; } = true;
}

public static class MetricsExtensions
{
    /// <summary>The signal-specific OTLP variable: metrics are pushed only where it points (a collector), not to a trace-only endpoint.</summary>
    public const string OtlpMetricsEndpointKey = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";

    /// <summary>
    /// The modules' metrics (<c>Modular.*</c>), Wolverine's, Npgsql's and the standard HTTP server, HTTP client and runtime
    /// ones, for Prometheus at <see cref="MetricsSettings.Path"/> and by OTLP when <see cref="OtlpMetricsEndpointKey"/> is set.
    /// </summary>
    public static WebApplicationBuilder AddModularMetrics(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(MetricsSettings.SectionName).Get<MetricsSettings>() ?? new MetricsSettings();
        settings.Enabled &= builder.Configuration.GetSection(TelemetrySettings.SectionName).Get<TelemetrySettings>()?.Enabled ?? true;
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ModuleMessageMetrics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModuleMessageMetrics>());
        if (!settings.Enabled)
        {
            return builder;
        }

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpMetricsEndpointKey]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics
                .AddMeter(ModuleMeter.NamePrefix + "*")
                // Wolverine names its meter after the service ("Wolverine:Modular.Host"): a bare "Wolverine" matches nothing.
                .AddMeter("Wolverine:*")
                // Npgsql's own meter: connection pool usage and command durations.
                .AddMeter("Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter();
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        return builder;
    }

    public static WebApplication MapModularMetrics(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<MetricsSettings>();
        if (!settings.Enabled)
        {
            return app;
        }

        var scrape = app.MapPrometheusScrapingEndpoint(settings.Path);
        if (settings.AllowAnonymous)
        {
            scrape.AllowAnonymous();
        }
        else
        {
            scrape.RequireAuthorization(Policies.Admin);
        }

        return app;
    }
}
