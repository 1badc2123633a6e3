using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modular.BuildingBlocks.Http;
using Modular.BuildingBlocks.Security;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>
/// Writes a health report as JSON. Anyone may read <c>/health/ready</c> (an orchestrator probes it without a token), so
/// it shows every caller each check's status, and the description and figures only of the checks that write them for
/// everyone (tagged <see cref="PublicDetailsTag"/>: this platform's own). What other checks say (a database driver's
/// or an HTTP client's exception text, which names hosts, ports and databases) and any exception only an admin sees.
/// See docs/adr/0021.
/// </summary>
public static class HealthReportWriter
{
    /// <summary>On a check whose description and data name nothing internal: no address, no connection detail, no exception text.</summary>
    public const string PublicDetailsTag = "public-details";

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var admin = context.User.IsAdmin();
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e =>
            {
                // A check that throws gets the exception's message as its description (the framework's doing).
                var details = admin || (e.Value.Tags.Contains(PublicDetailsTag) && e.Value.Description != e.Value.Exception?.Message);
                return new
                {
                    status = e.Value.Status.ToString(),
                    description = details ? e.Value.Description : null,
                    data = details && e.Value.Data.Count > 0 ? e.Value.Data : null,
                    error = admin ? e.Value.Exception?.Message : null,
                    durationMs = e.Value.Duration.TotalMilliseconds,
                };
            }),
        }, SkipNulls);
    }

    private static readonly JsonSerializerOptions SkipNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
}
