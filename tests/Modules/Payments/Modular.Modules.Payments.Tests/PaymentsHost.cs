using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Payments.Tests;

/// <summary>Payments hosted alone, driven by the messages Ordering would send it.</summary>
public sealed class PaymentsHost : IAsyncLifetime
{
    public ModularTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("payments"), [new PaymentsModule()]);

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    public Task<ITrackedSession> SendAsync(object message) =>
        Host.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).InvokeMessageAndWaitAsync(message);

    public Task<ITrackedSession> PublishAsync(object message) =>
        Host.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).PublishMessageAndWaitAsync(message);
}
