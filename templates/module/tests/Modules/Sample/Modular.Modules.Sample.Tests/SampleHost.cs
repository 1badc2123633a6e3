using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Sample.Tests;

/// <summary>The Sample module hosted alone, on a database of its own, driven through its API and its messages.</summary>
public sealed class SampleHost : IAsyncLifetime
{
    public ModularTestHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync() =>
        Host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("sample"), [new SampleModule()]);

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    public Task<(HttpResponseMessage Response, ITrackedSession Tracked)> TrackAsync(Func<HttpClient, Task<HttpResponseMessage>> request) =>
        Host.TrackAsync(request);
}
