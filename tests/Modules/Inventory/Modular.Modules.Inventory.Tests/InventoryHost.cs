using System.Net.Http.Json;
using Modular.Modules.Catalog.Contracts;
using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Inventory.Tests;

/// <summary>Inventory hosted alone, driven by the messages other modules would send it.</summary>
public sealed class InventoryHost : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public ModularTestHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("inventory");
        Host = await ModularTestHost.StartAsync(ConnectionString, [new InventoryModule()]);
    }

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    public Task<ITrackedSession> SendAsync(object message) => Host.SendAsync(message);

    /// <summary>A SKU that Catalog announced and that has <paramref name="onHand"/> units received.</summary>
    public async Task<string> StockedSkuAsync(int onHand, string prefix = "SKU")
    {
        var sku = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}".ToUpperInvariant();
        await SendAsync(new ProductAdded(sku, "Thing", "", 1m, "EUR", DateTimeOffset.UtcNow));
        if (onHand > 0)
        {
            var response = await Client.ReceiveStockAsync(sku, onHand);
            response.EnsureSuccessStatusCode();
        }

        return sku;
    }
}
