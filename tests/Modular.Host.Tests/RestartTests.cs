using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Host;
using Modular.Testing;

namespace Modular.Host.Tests;

/// <summary>
/// The pitfall behind the one envelope schema per process (docs/adr/0003), with real module stores on both sides of
/// every crossing: Catalog to Inventory and Ordering, Ordering to Inventory and Payments, and back.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restarting_after_an_order_crossed_every_module_handles_nothing_again()
    {
        var database = await PostgresServer.CreateDatabaseAsync("restartall");
        Guid orderId;
        JsonElement before;
        await using (var first = await ModularTestHost.StartAsync(database, ModuleCatalog.All))
        {
            Assert.Equal(HttpStatusCode.Created, (await first.Client.PostAsJsonAsync("/api/catalog/products",
                new { sku = "RESTART-1", name = "Lamp", price = 20m, currency = "EUR" })).StatusCode);
            await Eventually.Get(() => first.Client.ReceiveStockAsync("RESTART-1", 3, "restart-receipt"),
                r => r.StatusCode == HttpStatusCode.OK, "Inventory to know the product");
            orderId = await PlaceAsync(first.Client);
            before = await Eventually.Get(() => first.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}"),
                o => o.GetProperty("status").GetString() == "Confirmed", "the order to be confirmed");
        }

        Assert.Equal(0, await Sql.CountAsync(database,
            "select count(*) from information_schema.tables where table_name = 'wolverine_incoming_envelopes' and table_schema <> 'wolverine'"));
        // Only the order's two deadlines wait, scheduled for later (and ignored by a confirmed order when they come).
        Assert.Equal(0, await Sql.CountAsync(database,
            "select count(*) from wolverine.wolverine_incoming_envelopes where status <> 'Handled' " +
            "and not (status = 'Scheduled' and message_type like '%EnforceOrderDeadline')"));

        await using var second = await ModularTestHost.StartAsync(database, ModuleCatalog.All);
        // Solo durability recovers a dead process's incoming messages within seconds of start-up: give it time to.
        await Task.Delay(TimeSpan.FromSeconds(8));

        var after = await second.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
        Assert.Equal(Events(before), Events(after));
        var stock = await second.Client.GetFromJsonAsync<JsonElement>("/api/inventory/stock/RESTART-1");
        Assert.Equal((3, 1), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
    }

    private static async Task<Guid> PlaceAsync(HttpClient client)
    {
        var response = await Eventually.Get(async () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = JsonContent.Create(new { lines = new[] { new { sku = "RESTART-1", quantity = 1 } }, paymentToken = "tok_visa" }),
            };
            request.Headers.Add("Idempotency-Key", "restart-order");
            return await client.SendAsync(request);
        }, r => r.StatusCode == HttpStatusCode.Accepted, "Ordering to know the price");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
    }

    private static string[] Events(JsonElement order) =>
        order.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("event").GetString()!).ToArray();
}
