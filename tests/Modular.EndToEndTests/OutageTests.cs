using Modular.BuildingBlocks.Hosting;
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
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_order_accepted_around_a_20_s_database_outage_ends_once()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var host = await HostProcess.StartAsync("all modules", Outages.Settings(postgres.ConnectionString, []));
        using var client = TestIdentity.AdminClient(host.BaseAddress, TimeSpan.FromSeconds(30));
        var driver = new ShopDriver(client);
        var customer = $"pg-outage-{Guid.NewGuid():N}";
        var (skus, warmUp) = await Outages.WarmUpAsync(driver, customer);

        await using var traffic = OrderTraffic.Start(host.BaseAddress, customer, skus);
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var down = DateTimeOffset.UtcNow;
        await postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(20));
        await postgres.StartAgainAsync();
        var back = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        await traffic.StopAsync();

        var figures = await Settlement.SettleAsync(driver, customer, skus, Outages.OnHand, Outages.Accepted(traffic, warmUp), back, SettleTimeout);

        output.WriteLine($"before the outage: {traffic.Describe(start, down)}");
        output.WriteLine($"during the outage ({(back - down).TotalSeconds:0.0} s): {traffic.Describe(down, back)}");
        output.WriteLine($"after it: {traffic.Describe(back, DateTimeOffset.MaxValue)}");
        figures.Print(output);
        output.WriteLine(await Outages.EnvelopesAsync(postgres.ConnectionString, "wolverine"));
        Assert.True(figures.Lost == 0 && figures.HandledTwice == 0 && figures.Problems.Count == 0, string.Join(Environment.NewLine, figures.Problems) + host.Log);
        AssertFailedCleanly(traffic, whileStopped: null);
    }

    [Fact]
    public async Task Every_order_accepted_while_RabbitMQ_restarts_between_the_split_processes_ends_once()
    {
        await using var broker = await PrivateRabbitMq.StartAsync();
        var database = await PostgresServer.CreateDatabaseAsync("outage_rabbitmq");
        var transport = new Dictionary<string, string> { ["Modular__Transport"] = "RabbitMQ", ["ConnectionStrings__RabbitMq"] = broker.Uri };
        await using var extracted = await HostProcess.StartAsync("Inventory+Payments", Outages.Settings(database, SplitShop.ExtractedModules, transport));
        await using var main = await HostProcess.StartAsync("Catalog+Ordering (gateway)", Outages.Settings(database, SplitShop.MainModules, new Dictionary<string, string>(transport)
        {
            ["Modular__RemoteUrls__Inventory"] = extracted.BaseAddress.ToString(),
            ["Modular__RemoteUrls__Payments"] = extracted.BaseAddress.ToString(),
        }));
        using var client = TestIdentity.AdminClient(main.BaseAddress, TimeSpan.FromSeconds(30));
        var driver = new ShopDriver(client);
        var customer = $"rabbitmq-outage-{Guid.NewGuid():N}";
        var (skus, warmUp) = await Outages.WarmUpAsync(driver, customer);

        await using var traffic = OrderTraffic.Start(main.BaseAddress, customer, skus, clients: 2, pause: TimeSpan.FromMilliseconds(100));
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var down = DateTimeOffset.UtcNow;
        await broker.StopAsync();
        var stopped = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var starting = DateTimeOffset.UtcNow;
        await broker.StartAgainAsync();
        var back = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        await traffic.StopAsync();

        var figures = await Settlement.SettleAsync(driver, customer, skus, Outages.OnHand, Outages.Accepted(traffic, warmUp), back, SettleTimeout);

        output.WriteLine($"before the restart: {traffic.Describe(start, down)}");
        output.WriteLine($"RabbitMQ took {(stopped - down).TotalSeconds:0.0} s to stop and {(back - starting).TotalSeconds:0.0} s to start again");
        output.WriteLine($"while RabbitMQ was down or starting ({(back - down).TotalSeconds:0.0} s): {traffic.Describe(down, back)}");
        output.WriteLine($"after it: {traffic.Describe(back, DateTimeOffset.MaxValue)}");
        figures.Print(output);
        output.WriteLine(await Outages.EnvelopesAsync(database, "wolverine_catalog_ordering_shipping"));
        output.WriteLine(await Outages.EnvelopesAsync(database, "wolverine_inventory_payments"));
        Assert.True(figures.Lost == 0 && figures.HandledTwice == 0 && figures.Problems.Count == 0,
            string.Join(Environment.NewLine, figures.Problems) + main.Log + extracted.Log);
        AssertFailedCleanly(traffic, whileStopped: null);
    }

    [Fact]
    public async Task Stopping_the_host_with_SIGTERM_under_load_ends_each_request_cleanly_and_handles_its_queued_messages_after_restart()
    {
        var database = await PostgresServer.CreateDatabaseAsync("outage_sigterm");
        // A slow payment provider keeps a queue of messages in flight, for the stop to interrupt.
        await using var host = await HostProcess.StartAsync("all modules", Outages.Settings(database, [], new Dictionary<string, string>
        {
            ["Payments__Simulator__Latency"] = "00:00:00.200",
        }));
        using var client = TestIdentity.AdminClient(host.BaseAddress, TimeSpan.FromSeconds(30));
        var driver = new ShopDriver(client);
        var customer = $"sigterm-{Guid.NewGuid():N}";
        var (skus, warmUp) = await Outages.WarmUpAsync(driver, customer);

        await using var traffic = OrderTraffic.Start(host.BaseAddress, customer, skus);
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(6));
        var (placed, unfinished) = await Settlement.ProgressAsync(driver, customer);
        var terminating = DateTimeOffset.UtcNow;
        var exitCode = await host.TerminateAsync(TimeSpan.FromSeconds(45));
        var exited = DateTimeOffset.UtcNow;
        await host.StartAsync();
        var back = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await traffic.StopAsync();

        var figures = await Settlement.SettleAsync(driver, customer, skus, Outages.OnHand, Outages.Accepted(traffic, warmUp), back, SettleTimeout);

        var inFlight = traffic.Requests.Where(r => r.At < terminating && r.At + r.Took > terminating).ToList();
        output.WriteLine($"before SIGTERM: {traffic.Describe(start, terminating)}; {unfinished} of {placed} orders not final yet");
        output.WriteLine($"in flight at SIGTERM: {string.Join(", ", inFlight.GroupBy(r => r.Answer).Select(g => $"{g.Key} ×{g.Count()}"))}");
        output.WriteLine($"exit code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (killed)"}, {(exited - terminating).TotalSeconds:0.0} s after SIGTERM");
        output.WriteLine($"while stopped and restarting ({(back - terminating).TotalSeconds:0.0} s): {traffic.Describe(terminating, back)}");
        output.WriteLine($"after the restart: {traffic.Describe(back, DateTimeOffset.MaxValue)}");
        figures.Print(output);
        output.WriteLine(await Outages.EnvelopesAsync(database, "wolverine"));
        Assert.Equal(0, exitCode);
        Assert.True(exited - terminating < ModularHostExtensions.ShutdownTimeout, $"the host took {(exited - terminating).TotalSeconds:0.0} s to stop");
        Assert.True(unfinished > 0, "the host was stopped with no message in flight: the test proves nothing");
        Assert.True(figures.Lost == 0 && figures.HandledTwice == 0 && figures.Problems.Count == 0, string.Join(Environment.NewLine, figures.Problems) + host.Log);
        AssertFailedCleanly(traffic, whileStopped: (terminating, back));
    }

    /// <summary>
    /// Every request was accepted or refused with a problem answer that says when to retry, in time: none hung. While the
    /// process is stopped (<paramref name="whileStopped"/>), a refused connection is the clean answer.
    /// </summary>
    private static void AssertFailedCleanly(OrderTraffic traffic, (DateTimeOffset From, DateTimeOffset To)? whileStopped)
    {
        var unclean = traffic.Requests
            .Where(r => r.Answer is not ("202" or "503 application/problem+json Retry-After"))
            .Where(r => !(whileStopped is { } stopped && r.At >= stopped.From && r.At < stopped.To && r.Answer.StartsWith("connection failed", StringComparison.Ordinal)))
            .ToList();
        Assert.True(unclean.Count == 0, $"requests not answered with 202 or a 503 problem with Retry-After: {string.Join(", ", unclean.Select(r => r.Answer).Distinct())}");
    }
}
