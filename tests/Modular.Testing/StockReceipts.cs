using System.Net.Http.Json;

namespace Modular.Testing;

public static class StockReceipts
{
    /// <summary><c>POST /api/inventory/stock/{sku}/receipts</c> with an Idempotency-Key (a new one unless given).</summary>
    public static Task<HttpResponseMessage> ReceiveStockAsync(this HttpClient client, string sku, int quantity, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inventory/stock/{sku}/receipts") { Content = JsonContent.Create(new { quantity }) };
        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }
}
