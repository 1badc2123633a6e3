using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modular.Testing;
using Serilog.Core;
using Serilog.Events;

namespace Modular.Host.Tests.Input;

/// <summary>
/// Every module behind real Kestrel, with a sellable product in stock and the host's log events captured: what a
/// client on the network meets, malformed requests included.
/// </summary>
public sealed class KestrelShop : IAsyncLifetime
{
    public CapturedLogs Logs { get; } = new();

    public ModularTestHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public string Sku { get; private set; } = "";

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("input");
        Host = await ModularTestHost.StartOnKestrelAsync(ConnectionString, ModuleCatalog.All,
            new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" },
            services => services.AddSingleton<ILogEventSink>(Logs));
        Sku = await StockedProductAsync(onHand: 10);
    }

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    /// <summary>A product in the catalog that Inventory has heard of, with <paramref name="onHand"/> units received.</summary>
    public async Task<string> StockedProductAsync(int onHand)
    {
        var sku = $"IN-{Guid.NewGuid().ToString("N")[..8]}".ToUpperInvariant();
        var added = await Client.PostAsJsonAsync("/api/catalog/products", new { sku, name = "Probe", price = 2.5m, currency = "EUR" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        await Eventually.Get(() => Client.GetAsync($"/api/inventory/stock/{sku}"), r => r.IsSuccessStatusCode, $"Inventory to hear of {sku}");
        if (onHand > 0)
        {
            var received = await Client.ReceiveStockAsync(sku, onHand);
            Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        }

        return sku;
    }

    /// <summary>Places an order for one unit of <paramref name="sku"/> and waits until it is confirmed.</summary>
    public async Task<Guid> ConfirmedOrderAsync(string sku, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new { lines = new[] { new { sku, quantity = 1 } }, paymentToken = "tok_visa" }),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        var placed = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
        await Eventually.Get(() => Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}"),
            order => order.GetProperty("status").GetString() == "Confirmed", $"order {orderId} to be confirmed");
        return orderId;
    }

    /// <summary>The events logged at <paramref name="level"/> or above since <paramref name="mark"/>.</summary>
    public IReadOnlyList<LogEvent> LoggedSince(DateTimeOffset mark, LogEventLevel level) =>
        Logs.Events.Where(e => e.Timestamp >= mark && e.Level >= level).ToList();

    public async Task<JsonElement> OpenApiAsync() => await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
}
