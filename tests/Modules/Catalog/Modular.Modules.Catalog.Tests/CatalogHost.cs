using System.Net.Http.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Catalog.Tests;

/// <summary>Catalog hosted with a recording subscriber, on a database of its own.</summary>
public sealed class CatalogHost : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public ModularTestHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public RecordedEvents Recorded => Host.Services.GetRequiredService<RecordedEvents>();

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("catalog");
        Host = await StartHostAsync(ConnectionString);
        await Host.Services.GetRequiredService<ICatalogStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    public static Task<ModularTestHost> StartHostAsync(string connectionString) =>
        ModularTestHost.StartAsync(connectionString, [new CatalogModule(), new CatalogEventRecorderModule()]);

    public Task<(HttpResponseMessage Response, ITrackedSession Tracked)> TrackAsync(Func<HttpClient, Task<HttpResponseMessage>> request) =>
        Host.TrackAsync(request);

    public Task<HttpResponseMessage> AddAsync(string sku, string name = "Widget", decimal price = 9.99m, string currency = "EUR") =>
        Client.PostAsJsonAsync("/api/catalog/products", new { sku, name, description = $"{name} for tests", price, currency });
}
