using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Catalog.Contracts;
using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Ordering.Tests;

/// <summary>Ordering hosted alone, driven by the messages Catalog, Inventory and Payments would send it.</summary>
public sealed class OrderingHost : IAsyncLifetime
{
    public ModularTestHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync() =>
        Host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("ordering"), [new OrderingModule()]);

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    /// <summary>The keys of Payments, which Ordering reads only the public half of: here, the pair Development created.</summary>
    public IReadOnlyList<ECDiffieHellman> PaymentsPrivateKeys => new SealingKeyFiles().PrivateKeys(
        Host.Services.GetRequiredService<IHostEnvironment>(), AuthorizePayment.SealingKeySection, AuthorizePayment.DevelopmentKeyFile);

    public Task<ITrackedSession> SendAsync(object message) => Host.SendAsync(message);

    public Task<(HttpResponseMessage Response, ITrackedSession Tracked)> TrackAsync(Func<HttpClient, Task<HttpResponseMessage>> request) =>
        Host.TrackAsync(request);

    /// <summary>A product Catalog announced at <paramref name="price"/>.</summary>
    public async Task<string> ProductAsync(decimal price, string currency = "EUR")
    {
        var sku = $"ORD-{Guid.NewGuid().ToString("N")[..8]}".ToUpperInvariant();
        await SendAsync(new ProductAdded(sku, $"Product {sku}", "", price, currency, DateTimeOffset.UtcNow));
        return sku;
    }

    public static HttpRequestMessage PlaceRequest(object body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }
}
