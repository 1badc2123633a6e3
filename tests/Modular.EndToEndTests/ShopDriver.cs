using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.BuildingBlocks.Security;
using Modular.Testing;

namespace Modular.EndToEndTests;

public sealed record OrderLineRequest(string Sku, int Quantity);

/// <summary>What a client of the shop does, over HTTP only.</summary>
public sealed class ShopDriver(HttpClient client)
{
    public static readonly string[] FinalStatuses = ["Confirmed", "Rejected", "Cancelled", "Expired"];

    public HttpClient Client => client;

    public static string NewSku(string prefix = "E2E") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}".ToUpperInvariant();

    /// <summary>Adds a product to the catalog and receives stock for it once Inventory has heard of it.</summary>
    public async Task<string> StockedProductAsync(decimal price, int onHand, string currency = "EUR")
    {
        var sku = NewSku();
        var added = await client.PostAsJsonAsync("/api/catalog/products", new { sku, name = $"Product {sku}", price, currency });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        if (onHand > 0)
        {
            // Inventory learns of the product from Catalog's event, a moment after the catalog answered.
            await Eventually.Get(
                () => client.ReceiveStockAsync(sku, onHand, $"initial-{sku}"),
                r => r.StatusCode != HttpStatusCode.NotFound, $"Inventory to know {sku}");
        }

        return sku;
    }

    /// <summary>Places an order as <paramref name="customerId"/>: the customer is whoever the token names.</summary>
    public Task<HttpResponseMessage> PlaceAsync(string customerId, IReadOnlyList<OrderLineRequest> lines, string paymentToken = "tok_visa", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new { lines, paymentToken }),
        };
        request.Headers.Authorization = TestIdentity.Bearer(customerId, Roles.Customer);
        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    /// <summary>Places an order and returns its id; waits while Ordering's price list has not yet heard of a new product.</summary>
    public async Task<Guid> PlaceOrderAsync(string customerId, IReadOnlyList<OrderLineRequest> lines, string paymentToken = "tok_visa")
    {
        var key = Guid.NewGuid().ToString();
        var response = await Eventually.Get(() => PlaceAsync(customerId, lines, paymentToken, key),
            r => r.StatusCode != HttpStatusCode.UnprocessableEntity, "Ordering to know the products' prices");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/orders answered {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("orderId").GetGuid();
    }

    public async Task<JsonElement> OrderAsync(Guid orderId) => await client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");

    public async Task<JsonElement> FinalOrderAsync(Guid orderId, TimeSpan? timeout = null) =>
        await Eventually.Get(() => OrderAsync(orderId), o => FinalStatuses.Contains(o.GetProperty("status").GetString()),
            $"order {orderId} to reach a final status", timeout ?? TimeSpan.FromSeconds(60));

    public async Task<JsonElement> StockAsync(string sku) => await client.GetFromJsonAsync<JsonElement>($"/api/inventory/stock/{sku}");

    /// <summary>The order's shipment, once Shipping has heard of the confirmation.</summary>
    public async Task<JsonElement> ShipmentAsync(Guid orderId) =>
        await (await Eventually.Get(() => client.GetAsync($"/api/shipments/{orderId}"), r => r.StatusCode == HttpStatusCode.OK,
            $"a shipment for order {orderId}")).Content.ReadFromJsonAsync<JsonElement>();

    public async Task<JsonElement> OrderInStatusAsync(Guid orderId, string status) =>
        await Eventually.Get(() => OrderAsync(orderId), o => o.GetProperty("status").GetString() == status, $"order {orderId} to be {status}");

    public async Task<JsonElement> PaymentAsync(Guid orderId) => await client.GetFromJsonAsync<JsonElement>($"/api/payments/{orderId}");

    /// <summary>One request made as <paramref name="subject"/> with <paramref name="role"/>.</summary>
    public Task<HttpResponseMessage> SendAsAsync(string subject, string role, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = TestIdentity.Bearer(subject, role);
        return client.SendAsync(request);
    }

    public static string[] Timeline(JsonElement order) =>
        order.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("event").GetString()!).ToArray();
}
