using Modular.Testing;
using Xunit.Abstractions;

namespace Modular.EndToEndTests;

/// <summary>
/// Orders keep coming while a dependency goes away or the host is stopped: every order the shop accepted (202) ends
/// once, in the state its payment token calls for; requests it could not take fail at once with a problem answer.
/// Each test prints how requests were answered before, during and after, the time to recover, and the orders lost
/// and handled twice.
/// </summary>
[Collection(Outages.Name)]
public sealed class OutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Every_order_accepted_around_a_20_s_database_outage_ends_once()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var host = await HostProcess.StartAsync("all modules", Outages.Settings(postgres.ConnectionString, []));
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var driver = new ShopDriver(client);
        var customer = $"pg-outage-{Guid.NewGuid():N}";
        var (sku, warmUp) = await Outages.WarmUpAsync(driver, customer);

        await using var traffic = OrderTraffic.Start(host.BaseAddress, customer, sku);
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var down = DateTimeOffset.UtcNow;
        await postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(20));
        await postgres.StartAgainAsync();
        var back = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        await traffic.StopAsync();

        var figures = await Settlement.SettleAsync(driver, customer, sku, Outages.OnHand, Outages.Accepted(traffic, warmUp), back, SettleTimeout);

        output.WriteLine($"before the outage: {traffic.Describe(start, down)}");
        output.WriteLine($"during the outage ({(back - down).TotalSeconds:0.0} s): {traffic.Describe(down, back)}");
        output.WriteLine($"after it: {traffic.Describe(back, DateTimeOffset.MaxValue)}");
        figures.Print(output);
        output.WriteLine(await Outages.EnvelopesAsync(postgres.ConnectionString, "wolverine"));
        Assert.True(figures.Lost == 0 && figures.HandledTwice == 0 && figures.Problems.Count == 0, string.Join(Environment.NewLine, figures.Problems) + host.Log);
        AssertFailedCleanly(traffic);
    }

    /// <summary>Every request was accepted or refused with a problem answer in time: none hung or lost its connection.</summary>
    private static void AssertFailedCleanly(OrderTraffic traffic)
    {
        var unclean = traffic.Requests.Where(r => r.Answer != "202" && !r.Answer.EndsWith("application/problem+json Retry-After", StringComparison.Ordinal)
                                                  && !r.Answer.EndsWith("application/problem+json", StringComparison.Ordinal)).ToList();
        Assert.True(unclean.Count == 0, $"requests not answered with 202 or a problem: {string.Join(", ", unclean.Select(r => r.Answer).Distinct())}");
    }
}
