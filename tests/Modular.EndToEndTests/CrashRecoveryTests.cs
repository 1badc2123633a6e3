using System.Net.Http.Json;
using System.Text.Json;
using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>Inventory and Payments extracted over PostgreSQL queues, with a payment provider slow enough to leave work in flight.</summary>
public sealed class SlowPaymentsSplitShop() : SplitShop("PostgreSQL", new Dictionary<string, string> { ["Payments__Simulator__Latency"] = "00:00:00.150" });

public sealed class CrashRecoveryTests(SlowPaymentsSplitShop shop) : IClassFixture<SlowPaymentsSplitShop>
{
    [Fact]
    public async Task Killing_the_extracted_process_with_orders_in_flight_still_takes_every_order_to_one_ending()
    {
        var driver = new ShopDriver(shop.Client);
        var sku = await driver.StockedProductAsync(price: 2m, onHand: 100);
        await driver.FinalOrderAsync(await driver.PlaceOrderAsync("warm-up", [new(sku, 1)]));
        var customer = $"crash-{Guid.NewGuid():N}";
        var tokens = Enumerable.Range(0, 40).Select(i => i % 5 == 0 ? "tok_decline" : "tok_visa").ToList();

        var orderIds = await Task.WhenAll(tokens.Select(token => driver.PlaceOrderAsync(customer, [new(sku, 1)], token)));
        await Eventually.Get(() => CountAsync(customer, "Confirmed"), n => n >= 3, "a few orders to be confirmed before the crash");
        await shop.Extracted.KillAsync();
        var confirmedAtCrash = await CountAsync(customer, "Confirmed");
        var readyDuringOutage = await shop.Client.GetAsync("/health/ready");
        var reportDuringOutage = await readyDuringOutage.Content.ReadFromJsonAsync<JsonElement>();
        await shop.Extracted.StartAsync();

        var orders = await Task.WhenAll(orderIds.Select(id => driver.FinalOrderAsync(id, TimeSpan.FromSeconds(120))));

        Assert.True(confirmedAtCrash < 32, $"the crash came too late to catch orders in flight ({confirmedAtCrash} of 32 already confirmed)");
        // The gateway kept serving its own modules, reporting the missing one as degraded.
        Assert.Equal(System.Net.HttpStatusCode.OK, readyDuringOutage.StatusCode);
        Assert.Equal("Degraded", reportDuringOutage.GetProperty("checks").GetProperty("module:Inventory").GetProperty("status").GetString());
        for (var i = 0; i < orders.Length; i++)
        {
            var timeline = ShopDriver.Timeline(orders[i]);
            Assert.Equal(tokens[i] == "tok_decline" ? "Rejected" : "Confirmed", orders[i].GetProperty("status").GetString());
            Assert.True(timeline.Distinct().Count() == timeline.Length, $"order {orderIds[i]} recorded a step twice: {string.Join(", ", timeline)}");
        }

        var stock = await driver.StockAsync(sku);
        Assert.Equal(1 + 32, stock.GetProperty("reserved").GetInt32());
        Assert.Equal(100, stock.GetProperty("onHand").GetInt32());
        foreach (var confirmed in orderIds.Where((_, i) => tokens[i] == "tok_visa"))
        {
            var payment = await driver.PaymentAsync(confirmed);
            Assert.Equal(("Authorized", 2m), (payment.GetProperty("status").GetString(), payment.GetProperty("amount").GetDecimal()));
        }
    }

    private async Task<long> CountAsync(string customer, string status) =>
        (await shop.Client.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customer}&status={status}&pageSize=1"))
        .GetProperty("totalCount").GetInt64();
}
