using Modular.Testing;
using Npgsql;

namespace Modular.EndToEndTests;

/// <summary>
/// Moving a running system from one deployment shape to another leaves no message behind in the old shape's envelope
/// schema: the new shape's processes take over what their modules were still owed. See docs/adr/0028.
/// </summary>
public sealed class ReshapingTests
{
    [Fact]
    public async Task Moving_from_one_process_to_the_split_shape_with_orders_in_flight_ends_every_order_once_and_leaves_the_old_schema_empty()
    {
        var database = await PostgresServer.CreateDatabaseAsync("e2e_reshaping");
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Modular"] = database,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            // Slow enough that authorisations queue up behind Payments' inbox when the old shape stops.
            ["Payments__Simulator__Latency"] = "00:00:00.400",
        };
        var sku = "";
        var orderIds = new List<Guid>();
        await using (var monolith = await HostProcess.StartAsync("every module", common))
        {
            using var client = TestIdentity.AdminClient(monolith.BaseAddress, TimeSpan.FromSeconds(30));
            var driver = new ShopDriver(client);
            sku = await driver.StockedProductAsync(price: 5m, onHand: 100);
            orderIds.AddRange(await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => driver.PlaceOrderAsync("reshaped", [new(sku, 1)]))));
            await monolith.TerminateAsync(TimeSpan.FromSeconds(40));
        }

        var left = await PendingAsync(database, "wolverine");
        Assert.True(left.Waiting > 0, $"the old shape left no message waiting, so the move proves nothing ({left})");

        await using var extracted = await HostProcess.StartAsync("Inventory+Payments", With(common, SplitShop.ExtractedModules));
        await using var main = await HostProcess.StartAsync("Catalog+Ordering", With(common, SplitShop.MainModules, new Dictionary<string, string>
        {
            ["Modular__RemoteUrls__Inventory"] = extracted.BaseAddress.ToString(),
            ["Modular__RemoteUrls__Payments"] = extracted.BaseAddress.ToString(),
        }));
        using var splitClient = TestIdentity.AdminClient(main.BaseAddress, TimeSpan.FromSeconds(30));
        var split = new ShopDriver(splitClient);

        var orders = await Task.WhenAll(orderIds.Select(id => split.FinalOrderAsync(id, TimeSpan.FromSeconds(90))));

        foreach (var order in orders)
        {
            var timeline = ShopDriver.Timeline(order);
            Assert.Equal("Confirmed", order.GetProperty("status").GetString());
            Assert.True(timeline.Distinct().Count() == timeline.Length, $"order {order.GetProperty("id")} recorded a step twice: {string.Join(", ", timeline)}");
            Assert.Equal(("Authorized", 5m), await PaymentOfAsync(split, order.GetProperty("id").GetGuid()));
        }

        var stock = await split.StockAsync(sku);
        Assert.Equal((100, 30), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
        // The deadlines each order scheduled moved too: nothing of the old shape is left waiting.
        Assert.Equal((0L, 0L, 0L), await PendingAsync(database, "wolverine"));
    }

    private static async Task<(string? Status, decimal Amount)> PaymentOfAsync(ShopDriver driver, Guid orderId)
    {
        var payment = await driver.PaymentAsync(orderId);
        return (payment.GetProperty("status").GetString(), payment.GetProperty("amount").GetDecimal());
    }

    /// <summary>Messages waiting and scheduled in an envelope schema's inbox, and in its outbox.</summary>
    private static async Task<(long Waiting, long Scheduled, long Outgoing)> PendingAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            $"select (select count(*) from {schema}.wolverine_incoming_envelopes where status = 'Incoming'), " +
            $"(select count(*) from {schema}.wolverine_incoming_envelopes where status = 'Scheduled'), " +
            $"(select count(*) from {schema}.wolverine_outgoing_envelopes)", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static Dictionary<string, string> With(Dictionary<string, string> common, string[] modules, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>(common);
        for (var i = 0; i < modules.Length; i++)
        {
            settings[$"Modular__Modules__{i}"] = modules[i];
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
