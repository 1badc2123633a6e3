using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Shipping.Tests;

/// <summary>The Shipping module hosted alone, on a database of its own, driven through its API and its messages.</summary>
public sealed class ShippingHost : IAsyncLifetime
{
    public ModularTestHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync() =>
        Host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("shipping"), [new ShippingModule()]);

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    public Task<ITrackedSession> PublishAsync(object message) => Host.PublishAsync(message);

    public Task<(HttpResponseMessage Response, ITrackedSession Tracked)> TrackAsync(Func<HttpClient, Task<HttpResponseMessage>> request) =>
        Host.TrackAsync(request);
}
