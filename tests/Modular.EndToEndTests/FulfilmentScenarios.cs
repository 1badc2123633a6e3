using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>
/// The order fulfilment workflow end to end, over HTTP only. Each topology runs these same scenarios by deriving a
/// class that names its <see cref="IShop"/>.
/// </summary>
public abstract class FulfilmentScenarios<TShop>(TShop shop) : IClassFixture<TShop> where TShop : class, ITracedShop
{
    private readonly ShopDriver _shop = new(shop.Client);

    protected TShop Shop { get; } = shop;

    [Fact]
    public async Task An_order_with_stock_and_a_good_card_is_confirmed_at_the_prices_it_was_placed_at()
    {
        var mug = await _shop.StockedProductAsync(price: 12.50m, onHand: 5);
        var plate = await _shop.StockedProductAsync(price: 3.20m, onHand: 5);

        var orderId = await _shop.PlaceOrderAsync("alice", [new(mug, 2), new(plate, 3)]);
        var order = await _shop.FinalOrderAsync(orderId);

        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
        Assert.Equal(34.60m, order.GetProperty("total").GetDecimal());
        Assert.Equal("EUR", order.GetProperty("currency").GetString());
        Assert.Equal(12.50m, order.GetProperty("lines")[0].GetProperty("unitPrice").GetDecimal());
        Assert.Equal(["Placed", "StockReserved", "PaymentAuthorized", "Confirmed"], ShopDriver.Timeline(order));
        Assert.Equal((5, 2, 3), Stock(await _shop.StockAsync(mug)));
        var payment = await _shop.PaymentAsync(orderId);
        Assert.Equal(("Authorized", 34.60m), (payment.GetProperty("status").GetString(), payment.GetProperty("amount").GetDecimal()));

        // The route without a version is version 1; version 2 shows the same order with every amount in its currency.
        Assert.Equal(order.GetRawText(), (await Shop.Client.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}")).GetRawText());
        var v2 = await Shop.Client.GetFromJsonAsync<JsonElement>($"/api/v2/orders/{orderId}");
        Assert.Equal((34.60m, "EUR"), (v2.GetProperty("total").GetProperty("amount").GetDecimal(), v2.GetProperty("total").GetProperty("currency").GetString()));
        Assert.Equal((12.50m, "EUR"), (v2.GetProperty("lines")[0].GetProperty("unitPrice").GetProperty("amount").GetDecimal(),
            v2.GetProperty("lines")[0].GetProperty("unitPrice").GetProperty("currency").GetString()));
        Assert.False(v2.TryGetProperty("currency", out _));
    }

    /// <summary>
    /// The operations console's live figures: one request to the host the clients use shows every process of the
    /// deployment ready, each module once, and counts what each module handled, across processes too.
    /// </summary>
    [Fact]
    public async Task The_console_s_live_figures_show_every_module_once_in_a_ready_process_and_count_what_an_order_took()
    {
        var before = Handled(await Shop.Client.GetFromJsonAsync<JsonElement>("/api/platform/activity"));
        var sku = await _shop.StockedProductAsync(price: 2m, onHand: 2);

        Assert.Equal("Confirmed", (await _shop.FinalOrderAsync(await _shop.PlaceOrderAsync("ana", [new(sku, 1)]))).GetProperty("status").GetString());

        var activity = await Eventually.Get(() => Shop.Client.GetFromJsonAsync<JsonElement>("/api/platform/activity"),
            a => Handled(a) is var after && after["Ordering"] >= before["Ordering"] + 2 && after["Payments"] >= before["Payments"] + 1
                && after["Inventory"] >= before["Inventory"] + 1, "Ordering, Inventory and Payments to count the order's messages");
        var processes = activity.GetProperty("processes").EnumerateArray().ToList();
        Assert.All(processes, p => Assert.Contains(p.GetProperty("status").GetString(), new[] { "Healthy", "Degraded" }));
        Assert.Equal(
            Modular.Host.ModuleCatalog.All.Select(m => m.Name).Order(),
            processes.SelectMany(p => p.GetProperty("modules").EnumerateArray()).Select(m => m.GetProperty("module").GetString()!).Order());
    }

    private static Dictionary<string, long> Handled(JsonElement activity) =>
        activity.GetProperty("processes").EnumerateArray().SelectMany(p => p.GetProperty("modules").EnumerateArray())
            .GroupBy(m => m.GetProperty("module").GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.GetProperty("handled").GetInt64()));

    [Fact]
    public async Task A_confirmed_order_is_shipped_and_delivered_by_staff_and_a_shipped_order_can_no_longer_be_cancelled()
    {
        var sku = await _shop.StockedProductAsync(price: 6m, onHand: 3);
        var customer = $"sam-{Guid.NewGuid():N}";
        var orderId = await _shop.PlaceOrderAsync(customer, [new(sku, 1)]);
        Assert.Equal("Confirmed", (await _shop.FinalOrderAsync(orderId)).GetProperty("status").GetString());

        Assert.Equal("Pending", (await _shop.ShipmentAsync(orderId)).GetProperty("status").GetString());
        var dispatch = await Shop.Client.PostAsJsonAsync($"/api/shipments/{orderId}/dispatch", new { trackingReference = "1Z-E2E-7" });
        await _shop.OrderInStatusAsync(orderId, "Shipped");
        var cancel = await _shop.SendAsAsync(customer, "customer", HttpMethod.Post, $"/api/orders/{orderId}/cancel");
        var deliver = await Shop.Client.PostAsync($"/api/shipments/{orderId}/deliver", null);
        var order = await _shop.OrderInStatusAsync(orderId, "Delivered");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (dispatch.StatusCode, deliver.StatusCode));
        Assert.Contains("Shipped", (await Problems.AssertAsync(cancel, HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Placed", "StockReserved", "PaymentAuthorized", "Confirmed", "Shipped", "Delivered"], ShopDriver.Timeline(order));
        Assert.Equal("tracking reference 1Z-E2E-7", order.GetProperty("timeline")[4].GetProperty("detail").GetString());
        // Nothing given back for a delivered order: its stock stays taken and its payment stands.
        Assert.Equal((3, 1, 2), Stock(await _shop.StockAsync(sku)));
        Assert.Equal("Authorized", (await _shop.PaymentAsync(orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_confirmed_order_cancelled_before_dispatch_is_refunded_and_its_shipment_can_no_longer_be_dispatched()
    {
        var sku = await _shop.StockedProductAsync(price: 6m, onHand: 3);
        var orderId = await _shop.PlaceOrderAsync("tess", [new(sku, 1)]);
        await _shop.FinalOrderAsync(orderId);
        await _shop.ShipmentAsync(orderId);

        Assert.Equal(HttpStatusCode.Accepted, (await Shop.Client.PostAsync($"/api/orders/{orderId}/cancel", null)).StatusCode);
        await _shop.OrderInStatusAsync(orderId, "Cancelled");
        var shipment = await Eventually.Get(() => _shop.ShipmentAsync(orderId), s => s.GetProperty("status").GetString() == "Cancelled",
            "the shipment to be cancelled");
        var dispatch = await Shop.Client.PostAsJsonAsync($"/api/shipments/{orderId}/dispatch", new { trackingReference = "1Z-LATE" });

        Assert.Equal("Cancelled", shipment.GetProperty("status").GetString());
        await Problems.AssertAsync(dispatch, HttpStatusCode.Conflict);
        Assert.Equal("Refunded", (await _shop.PaymentAsync(orderId)).GetProperty("status").GetString());
        Assert.Equal((3, 0, 3), Stock(await _shop.StockAsync(sku)));
    }

    [Fact]
    public async Task A_customer_sees_their_own_order_and_payment_and_another_customer_finds_neither_nor_can_cancel_it()
    {
        var sku = await _shop.StockedProductAsync(price: 4m, onHand: 5);
        var dora = $"dora-{Guid.NewGuid():N}";
        var eve = $"eve-{Guid.NewGuid():N}";
        var orderId = await _shop.PlaceOrderAsync(dora, [new(sku, 1)]);
        await _shop.FinalOrderAsync(orderId);

        var own = await _shop.SendAsAsync(dora, "customer", HttpMethod.Get, $"/api/orders/{orderId}");
        var ownPayment = await _shop.SendAsAsync(dora, "customer", HttpMethod.Get, $"/api/payments/{orderId}");
        var ownList = await _shop.SendAsAsync(dora, "customer", HttpMethod.Get, "/api/orders");
        var theirs = await _shop.SendAsAsync(eve, "customer", HttpMethod.Get, $"/api/orders/{orderId}");
        var theirPayment = await _shop.SendAsAsync(eve, "customer", HttpMethod.Get, $"/api/payments/{orderId}");
        var theirCancel = await _shop.SendAsAsync(eve, "customer", HttpMethod.Post, $"/api/orders/{orderId}/cancel");
        var theirList = await _shop.SendAsAsync(eve, "customer", HttpMethod.Get, $"/api/orders?customerId={dora}");

        var order = await own.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(dora, order.GetProperty("customerId").GetString());
        // The subject travelled with every message, across processes, and each event records it.
        Assert.All(order.GetProperty("timeline").EnumerateArray(), e => Assert.Equal(dora, e.GetProperty("by").GetString()));
        Assert.Equal(HttpStatusCode.OK, ownPayment.StatusCode);
        Assert.Equal(orderId, Assert.Single((await ownList.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        await Problems.AssertAsync(theirs, HttpStatusCode.NotFound);
        await Problems.AssertAsync(theirPayment, HttpStatusCode.NotFound);
        await Problems.AssertAsync(theirCancel, HttpStatusCode.NotFound);
        Assert.Equal(0, (await theirList.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totalCount").GetInt64());
        Assert.Equal("Confirmed", (await _shop.OrderAsync(orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Staff_cancel_any_order_and_the_timeline_names_who_asked()
    {
        var sku = await _shop.StockedProductAsync(price: 4m, onHand: 5);
        var customer = $"gus-{Guid.NewGuid():N}";
        var orderId = await _shop.PlaceOrderAsync(customer, [new(sku, 1)]);
        await _shop.FinalOrderAsync(orderId);

        var cancel = await _shop.SendAsAsync("sam-staff", "staff", HttpMethod.Post, $"/api/orders/{orderId}/cancel");
        var order = await Eventually.Get(() => _shop.OrderAsync(orderId), o => o.GetProperty("status").GetString() == "Cancelled", $"order {orderId} to be Cancelled");

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var by = order.GetProperty("timeline").EnumerateArray().ToDictionary(e => e.GetProperty("event").GetString()!, e => e.GetProperty("by").GetString());
        Assert.Equal(customer, by["Placed"]);
        Assert.Equal("sam-staff", by["CancellationRequested"]);
        Assert.Equal("sam-staff", by["Cancelled"]);
    }

    [Fact]
    public async Task An_order_for_more_than_is_in_stock_is_rejected_and_holds_nothing()
    {
        var plenty = await _shop.StockedProductAsync(price: 1m, onHand: 10);
        var scarce = await _shop.StockedProductAsync(price: 1m, onHand: 1);

        var order = await _shop.FinalOrderAsync(await _shop.PlaceOrderAsync("bob", [new(plenty, 2), new(scarce, 2)]));

        Assert.Equal("Rejected", order.GetProperty("status").GetString());
        Assert.Contains($"{scarce}: insufficient stock (requested 2, available 1)", order.GetProperty("rejectionReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Placed", "StockRejected", "Rejected"], ShopDriver.Timeline(order));
        Assert.Equal((10, 0, 10), Stock(await _shop.StockAsync(plenty)));
        Assert.Equal((1, 0, 1), Stock(await _shop.StockAsync(scarce)));
    }

    [Fact]
    public async Task A_declined_payment_rejects_the_order_and_releases_its_stock()
    {
        var sku = await _shop.StockedProductAsync(price: 20m, onHand: 3);

        var orderId = await _shop.PlaceOrderAsync("carol", [new(sku, 2)], paymentToken: "tok_decline");
        var order = await _shop.FinalOrderAsync(orderId);

        Assert.Equal("Rejected", order.GetProperty("status").GetString());
        Assert.StartsWith("Payment declined", order.GetProperty("rejectionReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Placed", "StockReserved", "PaymentDeclined", "StockReleased", "Rejected"], ShopDriver.Timeline(order));
        Assert.Equal((3, 0, 3), Stock(await _shop.StockAsync(sku)));
        Assert.Equal("Declined", (await _shop.PaymentAsync(orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancelling_a_confirmed_order_refunds_its_payment_and_releases_its_stock()
    {
        var sku = await _shop.StockedProductAsync(price: 7.25m, onHand: 4);
        var orderId = await _shop.PlaceOrderAsync("dave", [new(sku, 4)]);
        Assert.Equal("Confirmed", (await _shop.FinalOrderAsync(orderId)).GetProperty("status").GetString());

        var cancel = await _shop.Client.PostAsync($"/api/orders/{orderId}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var order = await Eventually.Get(() => _shop.OrderAsync(orderId), o => o.GetProperty("status").GetString() == "Cancelled", "the order to be cancelled");

        Assert.Equal("Refunded", (await _shop.PaymentAsync(orderId)).GetProperty("status").GetString());
        Assert.Equal((4, 0, 4), Stock(await _shop.StockAsync(sku)));
        var again = await _shop.Client.PostAsync($"/api/orders/{orderId}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var timeline = ShopDriver.Timeline(order);
        Assert.Equal(["Placed", "StockReserved", "PaymentAuthorized", "Confirmed", "CancellationRequested"], timeline[..5]);
        Assert.Equal(["PaymentRefunded", "StockReleased"], timeline[5..7].Order());
        Assert.Equal("Cancelled", timeline[^1]);
    }

    [Fact]
    public async Task A_rejected_order_cannot_be_cancelled()
    {
        var sku = await _shop.StockedProductAsync(price: 1m, onHand: 0);
        var orderId = await _shop.PlaceOrderAsync("erin", [new(sku, 1)]);
        await _shop.FinalOrderAsync(orderId);

        var cancel = await _shop.Client.PostAsync($"/api/orders/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("application/problem+json", cancel.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Repeating_a_request_with_its_Idempotency_Key_places_one_order_and_a_different_request_with_it_is_refused()
    {
        var sku = await _shop.StockedProductAsync(price: 2m, onHand: 10);
        var customer = $"frank-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        await _shop.PlaceOrderAsync(customer, [new(sku, 1)]); // the price list knows the SKU from here on

        var first = await _shop.PlaceAsync(customer, [new(sku, 2)], idempotencyKey: key);
        var repeat = await _shop.PlaceAsync(customer, [new(sku, 2)], idempotencyKey: key);
        var different = await _shop.PlaceAsync(customer, [new(sku, 3)], idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        var orders = await _shop.Client.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customer}");
        Assert.Equal(2, orders.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task Fifty_concurrent_orders_for_ten_units_confirm_exactly_ten_and_leave_nothing_available()
    {
        var sku = await _shop.StockedProductAsync(price: 5m, onHand: 11);
        // One order first, so that Ordering's price list knows the SKU before the burst; it takes one of the 11 units.
        await _shop.FinalOrderAsync(await _shop.PlaceOrderAsync("warm-up", [new(sku, 1)]));

        var orderIds = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => _shop.PlaceOrderAsync($"racer-{i}", [new(sku, 1)])));
        var orders = await Task.WhenAll(orderIds.Select(id => _shop.FinalOrderAsync(id, TimeSpan.FromSeconds(120))));

        Assert.Equal(10, orders.Count(o => o.GetProperty("status").GetString() == "Confirmed"));
        Assert.Equal(40, orders.Count(o => o.GetProperty("status").GetString() == "Rejected"));
        Assert.Equal((11, 11, 0), Stock(await _shop.StockAsync(sku)));
    }

    [Fact]
    public async Task A_payment_provider_that_fails_twice_is_retried_and_the_order_is_confirmed()
    {
        var sku = await _shop.StockedProductAsync(price: 9.99m, onHand: 1);

        var orderId = await _shop.PlaceOrderAsync("gina", [new(sku, 1)], paymentToken: "tok_fail_2");
        var order = await _shop.FinalOrderAsync(orderId);

        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
        Assert.Equal("Authorized", (await _shop.PaymentAsync(orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_order_for_an_unknown_or_discontinued_SKU_is_refused_at_once_naming_the_line()
    {
        var sku = await _shop.StockedProductAsync(price: 4m, onHand: 5);
        await _shop.PlaceOrderAsync("hank", [new(sku, 1)]);
        await _shop.Client.PostAsync($"/api/catalog/products/{sku}/discontinue", null);

        var unknown = await _shop.PlaceAsync("hank", [new("NO-SUCH-SKU", 1)]);
        var discontinued = await Eventually.Get(() => _shop.PlaceAsync("hank", [new(sku, 1)]),
            r => r.StatusCode == HttpStatusCode.UnprocessableEntity, "Ordering to learn of the discontinuation");

        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("not in the catalog", problem.GetProperty("errors").GetProperty("Lines[0].Sku")[0].GetString(), StringComparison.Ordinal);
        var discontinuedProblem = await discontinued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("discontinued", discontinuedProblem.GetProperty("errors").GetProperty("Lines[0].Sku")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_is_one_trace_from_its_request_through_every_module_and_the_order_names_it()
    {
        var sku = await _shop.StockedProductAsync(price: 6m, onHand: 5);

        var orderId = await _shop.PlaceOrderAsync("ivy", [new(sku, 1)]);
        var order = await _shop.FinalOrderAsync(orderId);

        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
        var traceId = order.GetProperty("traceId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        // Each hop handled by the module it belongs to, in whichever process hosts it, within the trace of the request.
        string[] hops =
        [
            "ReserveStock in Inventory", "StockReserved in Ordering", "AuthorizePayment in Payments", "PaymentAuthorized in Ordering",
            "OrderConfirmed in Shipping",
        ];
        var trace = (await Eventually.Get(() => Task.FromResult(new Trace(Shop.Spans.Where(s => s.TraceId == traceId).ToList())),
            t => hops.All(Handled(t.Spans).Contains), $"every hop of order {orderId} in trace {traceId}", TimeSpan.FromSeconds(30))).Spans;
        Assert.Contains(trace, s => s.Tag("http.request.method") == "POST" && s.Tag("url.path") == "/api/orders" && s.Tag(ModuleTag) == "Ordering");
        Assert.All(trace, s => Assert.False(string.IsNullOrEmpty(s.Tag(ModuleTag)), $"span {s.Name} ({s.Source}) names no module"));
        // PostgreSQL commands are children of the module's work.
        Assert.Contains(trace, s => s.Source == "Npgsql" && s.Tag(ModuleTag) == "Inventory" && trace.Any(parent => parent.SpanId == s.ParentSpanId));
    }

    private const string ModuleTag = "modular.module";

    /// <summary>Spans that say, when a test fails, what they are.</summary>
    private sealed record Trace(List<RecordedSpan> Spans)
    {
        public override string ToString() => string.Join(Environment.NewLine, Spans.Select(s =>
            $"{s.Source} '{s.Name}' {s.SpanId}<-{s.ParentSpanId} module={s.Tag(ModuleTag)} type={s.Tag("messaging.message_type")}"));
    }

    private static HashSet<string> Handled(IEnumerable<RecordedSpan> spans) =>
        spans.Where(s => s.Tag("messaging.message_type") is not null && s.Tag(ModuleTag) is not null)
            .Select(s => $"{s.Tag("messaging.message_type")!.Split('.')[^1]} in {s.Tag(ModuleTag)}")
            .ToHashSet();

    private static (int OnHand, int Reserved, int Available) Stock(JsonElement stock) =>
        (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32(), stock.GetProperty("available").GetInt32());
}

public sealed class AllModulesInOneProcess(InProcessShop shop) : FulfilmentScenarios<InProcessShop>(shop);
