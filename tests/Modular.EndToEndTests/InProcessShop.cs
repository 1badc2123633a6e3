using Modular.Host;
using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>Every module in one process, over one database: the default deployment.</summary>
public sealed class InProcessShop : IShop
{
    private ModularTestHost _host = null!;

    public HttpClient Client => _host.Client;

    public async Task InitializeAsync() =>
        _host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("e2e_inprocess"), ModuleCatalog.All);

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();
}
