using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Testing;
using Xunit.Abstractions;

namespace Modular.EndToEndTests;

/// <summary>A host process started before its database waits for it instead of exiting. See docs/adr/0016.</summary>
[Collection(Outages.Name)]
public sealed class StartingBeforeTheDatabaseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_host_started_before_its_database_answers_503_until_the_database_answers_and_then_serves()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var host = await HostProcess.SetUpAsync("all modules", Outages.Settings(postgres.ConnectionString, []));
        await postgres.StopAsync();

        await host.StartAliveAsync();
        using var client = TestIdentity.AdminClient(host.BaseAddress, TimeSpan.FromSeconds(10));
        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");
        var api = await client.GetAsync("/api/catalog/products");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var startup = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("startup");
        Assert.Equal("Unhealthy", startup.GetProperty("status").GetString());
        Assert.Contains("Waiting for PostgreSQL", startup.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        await Problems.AssertAsync(api, HttpStatusCode.ServiceUnavailable);
        Assert.True(api.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 while starting says when to retry");
        Assert.Contains(host.Log.Split('\n'), line => line.Contains("WRN]", StringComparison.Ordinal) && line.Contains("PostgreSQL does not answer", StringComparison.Ordinal));

        await postgres.StartAgainAsync();
        var waited = Stopwatch.StartNew();
        await Eventually.Get(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK,
            "the host to be ready once PostgreSQL answers", TimeSpan.FromSeconds(30));
        output.WriteLine($"ready {waited.Elapsed.TotalSeconds:0.0} s after PostgreSQL was back");

        var driver = new ShopDriver(client);
        var sku = await driver.StockedProductAsync(price: 3m, onHand: 5);
        var order = await driver.FinalOrderAsync(await driver.PlaceOrderAsync("early-bird", [new(sku, 1)]));
        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
    }
}
