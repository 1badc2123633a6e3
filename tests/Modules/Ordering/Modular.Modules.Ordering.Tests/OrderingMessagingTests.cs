using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Shipping.Contracts;
using Modular.Testing;

namespace Modular.Modules.Ordering.Tests;

/// <summary>Ordering alone: placed over HTTP, driven by the answers other modules send, asserting what it sends them.</summary>
public sealed class OrderingMessagingTests(OrderingHost ordering) : IClassFixture<OrderingHost>
{
    [Fact]
    public async Task Placing_an_order_asks_Inventory_to_reserve_its_lines()
    {
        var sku = await ordering.ProductAsync(price: 4.25m);

        var (response, tracked) = await ordering.TrackAsync(c => c.SendAsync(OrderingHost.PlaceRequest(
            new { lines = new[] { new { sku, quantity = 2 } }, paymentToken = "tok_visa" }, Guid.NewGuid().ToString())));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var orderId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
        Assert.Equal($"/api/v1/orders/{orderId}", response.Headers.Location?.OriginalString);
        var reserve = Assert.Single(tracked.Emitted<ReserveStock>());
        Assert.Equal((orderId, sku, 2), (reserve.OrderId, reserve.Lines.Single().Sku, reserve.Lines.Single().Quantity));
    }

    [Fact]
    public async Task Each_answer_moves_the_order_on_until_it_is_confirmed()
    {
        var orderId = await PlacedOrderAsync(price: 10m, quantity: 3);

        var reserved = await ordering.SendAsync(new StockReserved(orderId, [], DateTimeOffset.UtcNow));
        var authorize = Assert.Single(reserved.Emitted<AuthorizePayment>());
        Assert.Equal((30m, "EUR", null), (authorize.Amount, authorize.Currency, authorize.PaymentToken));
        Assert.Equal("tok_visa", SealedBox.Open(ordering.PaymentsPrivateKeys, authorize.SealedPaymentToken!, AuthorizePayment.SealingContextFor(orderId)));

        var authorized = await ordering.SendAsync(new PaymentAuthorized(orderId, "auth_1", 30m, "EUR", DateTimeOffset.UtcNow));
        Assert.Equal(orderId, Assert.Single(authorized.Emitted<OrderConfirmed>()).OrderId);
        Assert.Equal("Confirmed", await StatusAsync(orderId));
    }

    [Fact]
    public async Task Shipping_s_news_moves_a_confirmed_order_to_Shipped_then_Delivered_and_a_shipped_order_cannot_be_cancelled()
    {
        var orderId = await PlacedOrderAsync(price: 10m, quantity: 1);
        await ordering.SendAsync(new StockReserved(orderId, [], DateTimeOffset.UtcNow));
        await ordering.SendAsync(new PaymentAuthorized(orderId, "auth_1", 10m, "EUR", DateTimeOffset.UtcNow));

        await ordering.SendAsync(new ShipmentDispatched(orderId, "1Z-42", DateTimeOffset.UtcNow));
        await ordering.SendAsync(new ShipmentDispatched(orderId, "1Z-42", DateTimeOffset.UtcNow));
        var cancel = await ordering.Client.PostAsync($"/api/orders/{orderId}/cancel", null);
        await ordering.SendAsync(new ShipmentDelivered(orderId, DateTimeOffset.UtcNow));

        var problem = await Problems.AssertAsync(cancel, HttpStatusCode.Conflict);
        Assert.Contains("Shipped", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var order = await ordering.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
        Assert.Equal("Delivered", order.GetProperty("status").GetString());
        var timeline = order.GetProperty("timeline").EnumerateArray().Select(e => (e.GetProperty("event").GetString(), e.GetProperty("detail").GetString())).ToList();
        Assert.Equal([("Confirmed", null), ("Shipped", "tracking reference 1Z-42"), ("Delivered", null)], timeline.Skip(timeline.Count - 3));
    }

    [Fact]
    public async Task News_of_a_dispatch_for_an_order_that_is_not_confirmed_changes_nothing()
    {
        var orderId = await PlacedOrderAsync(price: 10m, quantity: 1);

        await ordering.SendAsync(new ShipmentDispatched(orderId, "1Z-43", DateTimeOffset.UtcNow));

        Assert.Equal("Placed", await StatusAsync(orderId));
    }

    [Fact]
    public async Task An_authorisation_for_less_than_the_total_does_not_confirm_the_order_and_is_given_back()
    {
        var orderId = await PlacedOrderAsync(price: 10m, quantity: 3);
        await ordering.SendAsync(new StockReserved(orderId, [], DateTimeOffset.UtcNow));

        var authorized = await ordering.SendAsync(new PaymentAuthorized(orderId, "auth_short", 29.99m, "EUR", DateTimeOffset.UtcNow));

        Assert.Empty(authorized.Emitted<OrderConfirmed>());
        Assert.Single(authorized.Emitted<ReleaseStock>());
        Assert.Single(authorized.Emitted<RefundPayment>());
        Assert.Equal("Rejecting", await StatusAsync(orderId));
    }

    [Fact]
    public async Task An_answer_delivered_twice_moves_the_order_once()
    {
        var orderId = await PlacedOrderAsync(price: 10m, quantity: 1);
        var answer = new StockReserved(orderId, [], DateTimeOffset.UtcNow);

        await ordering.SendAsync(answer);
        var again = await ordering.SendAsync(answer);

        Assert.Empty(again.Emitted<object>());
        var order = await ordering.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
        Assert.Single(order.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("event").GetString() == "StockReserved");
    }

    [Fact]
    public async Task Cancelling_before_the_stock_answer_releases_and_refunds_and_ignores_the_late_reservation()
    {
        var orderId = await PlacedOrderAsync(price: 10m, quantity: 1);

        var (cancel, cancelled) = await ordering.TrackAsync(c => c.PostAsync($"/api/orders/{orderId}/cancel", null));
        var late = await ordering.SendAsync(new StockReserved(orderId, [], DateTimeOffset.UtcNow));
        await ordering.SendAsync(new StockReleased(orderId, [], DateTimeOffset.UtcNow));
        var settled = await ordering.SendAsync(new PaymentRefunded(orderId, 0m, "", DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Single(cancelled.Emitted<ReleaseStock>());
        Assert.Single(cancelled.Emitted<RefundPayment>());
        Assert.Empty(late.Emitted<AuthorizePayment>());
        Assert.Single(settled.Emitted<OrderCancelled>());
        Assert.Equal("Cancelled", await StatusAsync(orderId));
    }

    [Fact]
    public async Task Cancelling_twice_asks_for_the_stock_and_the_refund_once()
    {
        var orderId = await PlacedOrderAsync(price: 10m, quantity: 1);

        await ordering.TrackAsync(c => c.PostAsync($"/api/orders/{orderId}/cancel", null));
        var (again, tracked) = await ordering.TrackAsync(c => c.PostAsync($"/api/orders/{orderId}/cancel", null));

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Empty(tracked.Emitted<object>());
    }

    [Fact]
    public async Task A_later_price_from_the_catalog_is_used_and_an_older_one_arriving_late_is_not()
    {
        var sku = await ordering.ProductAsync(price: 5m);
        var now = DateTimeOffset.UtcNow;
        await ordering.SendAsync(new ProductPriceChanged(sku, 5m, "EUR", 7m, "EUR", now.AddMinutes(2)));
        await ordering.SendAsync(new ProductPriceChanged(sku, 5m, "EUR", 6m, "EUR", now.AddMinutes(1)));

        var orderId = await PlaceAsync(sku, quantity: 1);

        var order = await ordering.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
        Assert.Equal(7m, order.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Orders_can_be_listed_by_customer_and_status()
    {
        var customer = $"lister-{Guid.NewGuid():N}";
        var sku = await ordering.ProductAsync(price: 1m);
        var first = await PlaceAsync(sku, 1, customer);
        await PlaceAsync(sku, 2, customer);
        await ordering.TrackAsync(c => c.PostAsync($"/api/orders/{first}/cancel", null));

        var all = await ordering.Client.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customer}");
        var cancelling = await ordering.Client.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customer}&status=Cancelling");

        Assert.Equal(2, all.GetProperty("totalCount").GetInt64());
        Assert.Equal(first, Assert.Single(cancelling.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_order_not_ended_past_the_threshold_needs_attention_with_what_its_deadline_will_do_until_it_ends()
    {
        var orderId = await PlacedOrderAsync(price: 10m, quantity: 1);

        var waiting = await NeedingAttentionAsync(orderId, olderThanSeconds: 0);
        var young = await NeedingAttentionAsync(orderId, olderThanSeconds: 3600);
        await ordering.TrackAsync(c => c.PostAsync($"/api/orders/{orderId}/cancel", null));
        await ordering.SendAsync(new StockReleased(orderId, [], DateTimeOffset.UtcNow));
        var unwinding = await NeedingAttentionAsync(orderId, olderThanSeconds: 0);
        await ordering.SendAsync(new PaymentRefunded(orderId, 0m, "", DateTimeOffset.UtcNow));
        var ended = await NeedingAttentionAsync(orderId, olderThanSeconds: 0);

        Assert.Equal("Placed", waiting!.Value.GetProperty("status").GetString());
        Assert.Contains("Inventory", waiting.Value.GetProperty("waitingFor").GetString(), StringComparison.Ordinal);
        var deadline = waiting.Value.GetProperty("nextDeadline");
        Assert.Equal("Payment", deadline.GetProperty("deadline").GetString());
        Assert.Equal(waiting.Value.GetProperty("placedAt").GetDateTimeOffset() + TimeSpan.FromMinutes(1), deadline.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(["Placed"], waiting.Value.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("event").GetString()));
        Assert.Null(young);
        Assert.Equal("Cancelling", unwinding!.Value.GetProperty("status").GetString());
        Assert.Equal("Sends again what is still unanswered: RefundPayment (Payments).",
            unwinding.Value.GetProperty("nextDeadline").GetProperty("action").GetString());
        Assert.Contains("dead letters of Payments", unwinding.Value.GetProperty("advice").GetString(), StringComparison.Ordinal);
        Assert.Null(ended);
    }

    [Theory]
    [InlineData("olderThanSeconds=-1", "OlderThanSeconds")]
    [InlineData("pageSize=1000", "PageSize")]
    public async Task Orders_needing_attention_refuses_a_bad_query_and_customers(string query, string field)
    {
        var bad = await ordering.Client.GetAsync($"/api/orders/attention?{query}");
        using var customer = ordering.Host.ClientAs("alice", Roles.Customer);
        var forbidden = await customer.GetAsync("/api/orders/attention");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains(field, await bad.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private async Task<JsonElement?> NeedingAttentionAsync(Guid orderId, int olderThanSeconds)
    {
        var page = await ordering.Client.GetFromJsonAsync<JsonElement>($"/api/orders/attention?olderThanSeconds={olderThanSeconds}&pageSize=100");
        return page.GetProperty("items").EnumerateArray().Where(o => o.GetProperty("id").GetGuid() == orderId).Select(o => (JsonElement?)o).SingleOrDefault();
    }

    private async Task<Guid> PlacedOrderAsync(decimal price, int quantity) => await PlaceAsync(await ordering.ProductAsync(price), quantity);

    private async Task<Guid> PlaceAsync(string sku, int quantity, string customerId = "alice")
    {
        using var customer = ordering.Host.ClientAs(customerId, Roles.Customer);
        var response = await customer.SendAsync(OrderingHost.PlaceRequest(
            new { lines = new[] { new { sku, quantity } }, paymentToken = "tok_visa" }, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
    }

    private async Task<string?> StatusAsync(Guid orderId) =>
        (await ordering.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}")).GetProperty("status").GetString();
}
