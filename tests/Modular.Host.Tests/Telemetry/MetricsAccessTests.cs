using System.Net;
using Modular.BuildingBlocks.Security;
using Modular.Host;
using Modular.Testing;

namespace Modular.Host.Tests.Telemetry;

/// <summary>
/// `/metrics` is anonymous by default, for a scraper inside the cluster; a deployment whose port is reachable from outside
/// turns that off, and then only an admin token scrapes it (docs/adr/0025).
/// </summary>
[Collection(ExportedMetrics.Name)]
public sealed class MetricsAccessTests
{
    [Fact]
    public async Task With_anonymous_scraping_off_only_an_admin_token_reads_the_metrics()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("metrics_access"), ModuleCatalog.All,
            new Dictionary<string, string?> { ["Modular:Metrics:AllowAnonymous"] = "false" });
        using var anonymous = host.AnonymousClient();
        using var staff = host.ClientAs("stan", Roles.Staff);

        await Problems.AssertAsync(await anonymous.GetAsync("/metrics"), HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(await staff.GetAsync("/metrics"), HttpStatusCode.Forbidden);
        var scraped = await host.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("modular_", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
