using Modular.Host;
using Modular.Testing;

namespace Modular.Host.Tests.Security;

/// <summary>Every module in one process, as the tests of who may do what see it.</summary>
public sealed class SecureShop : IAsyncLifetime
{
    public ModularTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("security"), ModuleCatalog.All);

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();
}
