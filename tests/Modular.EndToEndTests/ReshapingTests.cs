using System.Diagnostics;
using Modular.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Modular.EndToEndTests;

/// <summary>
/// Moving a running system from one deployment shape to another leaves no message behind in the old shape's envelope
/// schema: the new shape's processes take over what their modules were still owed. See docs/adr/0028.
/// </summary>
public sealed class ReshapingTests(ITestOutputHelper output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Where the time went, in the test output.</summary>
    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");

    [Fact]
    public async Task Moving_from_one_process_to_the_split_shape_and_back_with_orders_in_flight_ends_every_order_once_and_leaves_nothing_behind()
    {
        var database = await PostgresServer.CreateDatabaseAsync("e2e_reshaping");
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Modular"] = database,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            // Slow enough that authorisations queue up behind Payments' inbox when a shape stops.
            ["Payments__Simulator__Latency"] = "00:00:00.200",
            // The move is under test, not the deadlines: on a busy machine starting the next shape can take longer than
            // the one-minute payment deadline, which would rightly expire the orders in flight (seen once in CI: 85 s).
            ["Ordering__Deadlines__Payment"] = "00:10:00",
            ["Ordering__Deadlines__Overall"] = "00:20:00",
        };
        var extracted = SplitShop.With(common, SplitShop.ExtractedModules);

        // One process, stopped with orders in flight.
        await using var monolith = await HostProcess.StartAsync("every module", common);
        using var monolithClient = TestIdentity.AdminClient(monolith.BaseAddress, TimeSpan.FromSeconds(30));
        var driver = new ShopDriver(monolithClient);
        var sku = await driver.StockedProductAsync(price: 5m, onHand: 100);
        var first = await PlaceAsync(driver, sku, 20);
        Step("one process: 20 orders placed");
        await monolith.TerminateAsync(TimeSpan.FromSeconds(40));
        Step("one process stopped");
        var left = await PendingAsync(database, queues: false, "wolverine");
        Assert.True(left.Waiting > 0, $"one process left no message waiting, so the move proves nothing ({left})");

        // The split shape over PostgreSQL queues takes them over, then is stopped with orders of its own in flight.
        await using var inventoryPayments = await HostProcess.StartAsync("Inventory+Payments", extracted);
        await using var gateway = await HostProcess.StartAsync("Catalog+Ordering", SplitShop.With(common, SplitShop.MainModules, new Dictionary<string, string>
        {
            ["Modular__RemoteUrls__Inventory"] = inventoryPayments.BaseAddress.ToString(),
            ["Modular__RemoteUrls__Payments"] = inventoryPayments.BaseAddress.ToString(),
        }));
        using var gatewayClient = TestIdentity.AdminClient(gateway.BaseAddress, TimeSpan.FromSeconds(30));
        driver = new ShopDriver(gatewayClient);
        Step("split shape started");
        await AssertConfirmedOnceAsync(driver, first);
        Step("split shape: the first orders confirmed");
        Assert.Equal((0L, 0L, 0L), await PendingAsync(database, queues: false, "wolverine"));
        var second = await PlaceAsync(driver, sku, 20);
        await gateway.TerminateAsync(TimeSpan.FromSeconds(40));
        await inventoryPayments.TerminateAsync(TimeSpan.FromSeconds(40));
        Step("split shape: 20 more placed, both processes stopped");
        var leftBySplit = await PendingAsync(database, queues: true, "wolverine_catalog_ordering_shipping", "wolverine_inventory_payments");
        Assert.True(leftBySplit.Waiting > 0, $"the split shape left no message waiting or queued, so the move back proves nothing ({leftBySplit})");

        // Back to one process: it takes over the split shape's inboxes, outboxes and queue tables.
        await using var monolithAgain = await HostProcess.StartAsync("every module, again", common);
        using var againClient = TestIdentity.AdminClient(monolithAgain.BaseAddress, TimeSpan.FromSeconds(30));
        driver = new ShopDriver(againClient);
        Step("one process started again");
        await AssertConfirmedOnceAsync(driver, second);
        Step("one process: the second orders confirmed");
        var stock = await driver.StockAsync(sku);
        Assert.Equal((100, 40), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
        // The deadlines each order scheduled moved too: nothing of a former shape is left waiting.
        Assert.Equal((0L, 0L, 0L), await PendingAsync(database, queues: true, "wolverine_catalog_ordering_shipping", "wolverine_inventory_payments"));
    }

    private static Task<Guid[]> PlaceAsync(ShopDriver driver, string sku, int orders) =>
        Task.WhenAll(Enumerable.Range(0, orders).Select(_ => driver.PlaceOrderAsync("reshaped", [new(sku, 1)])));

    private static async Task AssertConfirmedOnceAsync(ShopDriver driver, IEnumerable<Guid> orderIds)
    {
        foreach (var order in await Task.WhenAll(orderIds.Select(id => driver.FinalOrderAsync(id, TimeSpan.FromSeconds(90)))))
        {
            var timeline = ShopDriver.Timeline(order);
            Assert.Equal("Confirmed", order.GetProperty("status").GetString());
            Assert.True(timeline.Distinct().Count() == timeline.Length, $"order {order.GetProperty("id")} recorded a step twice: {string.Join(", ", timeline)}");
            Assert.Equal(("Authorized", 5m), await PaymentOfAsync(driver, order.GetProperty("id").GetGuid()));
        }
    }

    private static async Task<(string? Status, decimal Amount)> PaymentOfAsync(ShopDriver driver, Guid orderId)
    {
        var payment = await driver.PaymentAsync(orderId);
        return (payment.GetProperty("status").GetString(), payment.GetProperty("amount").GetDecimal());
    }

    /// <summary>
    /// Messages waiting and scheduled in the inboxes of envelope schemas, and in their outboxes; with
    /// <paramref name="queues"/>, the messages in the PostgreSQL transport's queue tables count as waiting too.
    /// </summary>
    private static async Task<(long Waiting, long Scheduled, long Outgoing)> PendingAsync(string connectionString, bool queues, params string[] schemas)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var (waiting, scheduled, outgoing) = (0L, 0L, 0L);
        foreach (var schema in schemas)
        {
            waiting += await CountAsync(connection, $"select count(*) from {schema}.wolverine_incoming_envelopes where status = 'Incoming'");
            scheduled += await CountAsync(connection, $"select count(*) from {schema}.wolverine_incoming_envelopes where status = 'Scheduled'");
            outgoing += await CountAsync(connection, $"select count(*) from {schema}.wolverine_outgoing_envelopes");
        }

        foreach (var queue in queues ? await Sql.TablesAsync(connectionString) : [])
        {
            if (queue.Schema == "wolverine_queues")
            {
                waiting += await CountAsync(connection, $"select count(*) from wolverine_queues.{queue.Table}");
            }
        }

        return (waiting, scheduled, outgoing);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var count = new NpgsqlCommand(sql, connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
