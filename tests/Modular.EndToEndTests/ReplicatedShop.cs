using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>
/// The split shape with replicas, as docs/scaling-out.md runs it: Inventory+Payments twice, Catalog+Ordering
/// <paramref name="gatewayReplicas"/> times, every replica <c>Modular:Durability=Balanced</c> on its shape's envelope
/// schema, each process's replicas behind one address (<see cref="LoadBalancer"/>, as a Kubernetes Service). Clients and
/// the gateways use only those. Payments takes 150 ms per provider call, so that work is in flight when a replica dies.
/// </summary>
public abstract class ReplicatedShop(string transport, int gatewayReplicas) : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    private readonly List<HostProcess> _mainReplicas = [];
    private readonly List<HostProcess> _extractedReplicas = [];

    public IReadOnlyList<HostProcess> Main => _mainReplicas;

    public IReadOnlyList<HostProcess> Extracted => _extractedReplicas;

    public HttpClient Client { get; private set; } = null!;

    private LoadBalancer? _main;
    private LoadBalancer? _extracted;

    /// <summary>A fixture that fails to start leaves no process behind: xunit does not dispose it.</summary>
    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync($"e2e_replicas_{transport}");
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Modular"] = ConnectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Modular__Transport"] = transport,
            ["Modular__Durability"] = "Balanced",
        };
        foreach (var (key, value) in await TransportSettingsAsync())
        {
            common[key] = value;
        }

        var extracted = SplitShop.With(common, SplitShop.ExtractedModules, new Dictionary<string, string> { ["Payments__Simulator__Latency"] = "00:00:00.150" });
        // One after the other: each applies its shape's schema first, and two concurrent runs of that DDL collide (a
        // deployment runs it once, as the Kubernetes Job in deploy/k8s does).
        _extractedReplicas.Add(await HostProcess.StartAsync("Inventory+Payments #1", extracted));
        _extractedReplicas.Add(await HostProcess.StartAsync("Inventory+Payments #2", extracted));
        _extracted = await LoadBalancer.StartAsync(Extracted.Select(r => r.BaseAddress));
        var main = SplitShop.With(common, SplitShop.MainModules, new Dictionary<string, string>
        {
            ["Modular__RemoteUrls__Inventory"] = _extracted.Address.ToString(),
            ["Modular__RemoteUrls__Payments"] = _extracted.Address.ToString(),
            [PaymentKeyFiles.PublicKeySetting] = PaymentKeyFiles.PublicKeyFile,
        });
        for (var i = 1; i <= gatewayReplicas; i++)
        {
            _mainReplicas.Add(await HostProcess.StartAsync($"Catalog+Ordering #{i}", main));
        }

        _main = await LoadBalancer.StartAsync(Main.Select(r => r.BaseAddress));
        Client = TestIdentity.AdminClient(_main.Address, TimeSpan.FromSeconds(30));
    }

    public Uri Address => _main?.Address ?? throw new InvalidOperationException("The shop has not started.");

    /// <summary>Ends a replica at once (<c>kill -9</c>) and takes it out of its load balancer, as Kubernetes drops a dead pod's endpoint.</summary>
    public async Task KillAsync(HostProcess replica)
    {
        await replica.KillAsync();
        Balance();
    }

    /// <summary>Starts the replicas an earlier test killed, and serves them again.</summary>
    public async Task ReviveAsync()
    {
        foreach (var replica in Main.Concat(Extracted).Where(r => !r.IsRunning))
        {
            await replica.StartAsync();
        }

        Balance();
    }

    private void Balance()
    {
        _main?.Serve(Main.Where(r => r.IsRunning).Select(r => r.BaseAddress));
        _extracted?.Serve(Extracted.Where(r => r.IsRunning).Select(r => r.BaseAddress));
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_main is not null)
        {
            await _main.DisposeAsync();
        }

        if (_extracted is not null)
        {
            await _extracted.DisposeAsync();
        }

        foreach (var replica in Main.Concat(Extracted))
        {
            await replica.DisposeAsync();
        }
    }

    protected virtual Task<IReadOnlyDictionary<string, string>> TransportSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
}

public sealed class ReplicatedOverPostgreSqlShop() : ReplicatedShop("PostgreSQL", gatewayReplicas: 2);

public sealed class ReplicatedOverRabbitMqShop() : ReplicatedShop("RabbitMQ", gatewayReplicas: 1)
{
    protected override async Task<IReadOnlyDictionary<string, string>> TransportSettingsAsync() =>
        new Dictionary<string, string> { ["ConnectionStrings__RabbitMq"] = await RabbitMqServer.UriAsync() };
}
