using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>
/// Inventory and Payments extracted into a process of their own; Catalog and Ordering stay in the main process, which
/// is the gateway: the only address clients use. Both run the same Release artefact (pre-generated code), told apart by
/// configuration alone, as docs/extracting-a-module.md does it.
/// </summary>
public abstract class SplitShop(string transport, IReadOnlyDictionary<string, string>? extractedSettings = null) : ITracedShop
{
    public string ConnectionString { get; private set; } = "";

    public HostProcess Main { get; private set; } = null!;

    public HostProcess Extracted { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public OtlpReceiver Traces { get; private set; } = null!;

    public IReadOnlyList<RecordedSpan> Spans => Traces.Spans;

    public static readonly string[] MainModules = ["Catalog", "Ordering", "Shipping"];

    public static readonly string[] ExtractedModules = ["Inventory", "Payments"];

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync($"e2e_split_{transport}");
        Traces = await OtlpReceiver.StartAsync();
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Modular"] = ConnectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Modular__Transport"] = transport,
            // The tests compare the two processes' OpenAPI documents, which Production does not serve by default.
            ["Modular__ApiReference__Enabled"] = "true",
        };
        foreach (var (key, value) in (await TransportSettingsAsync()).Concat(Traces.Settings))
        {
            common[key] = value;
        }

        Extracted = await HostProcess.StartAsync("Inventory+Payments", With(common, ExtractedModules, await ExtractedSettingsAsync()));
        Main = await HostProcess.StartAsync("Catalog+Ordering (gateway)", With(common, MainModules, new Dictionary<string, string>
        {
            ["Modular__RemoteUrls__Inventory"] = Extracted.BaseAddress.ToString(),
            ["Modular__RemoteUrls__Payments"] = Extracted.BaseAddress.ToString(),
            // The gateway seals payment tokens for Payments and can open none.
            [PaymentKeyFiles.PublicKeySetting] = PaymentKeyFiles.PublicKeyFile,
        }));
        Client = TestIdentity.AdminClient(Main.BaseAddress, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await Main.DisposeAsync();
        await Extracted.DisposeAsync();
        await Traces.DisposeAsync();
        await DisposeResourcesAsync();
    }

    /// <summary>What the extracted process is configured with besides the common settings.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> ExtractedSettingsAsync() =>
        Task.FromResult(extractedSettings ?? new Dictionary<string, string>());

    protected virtual ValueTask DisposeResourcesAsync() => ValueTask.CompletedTask;

    protected virtual Task<IReadOnlyDictionary<string, string>> TransportSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>The common settings, the modules a process hosts, and its own settings on top: one process of a shape.</summary>
    internal static Dictionary<string, string> With(Dictionary<string, string> common, string[] modules, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>(common);
        for (var i = 0; i < modules.Length; i++)
        {
            settings[$"Modular__Modules__{i}"] = modules[i];
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }
}

public sealed class SplitOverPostgreSqlShop() : SplitShop("PostgreSQL");

public sealed class SplitOverRabbitMqShop() : SplitShop("RabbitMQ")
{
    protected override async Task<IReadOnlyDictionary<string, string>> TransportSettingsAsync() =>
        new Dictionary<string, string> { ["ConnectionStrings__RabbitMq"] = await RabbitMqServer.UriAsync() };
}

/// <summary>
/// A database per service: Inventory and Payments keep their data and their process's envelope tables on a PostgreSQL
/// server of their own (<c>ConnectionStrings:Inventory</c>, <c>ConnectionStrings:Payments</c>), and the extracted process is
/// given no <c>ConnectionStrings:Modular</c>. RabbitMQ is all the two processes share.
/// </summary>
public sealed class DatabasePerServiceShop() : SplitShop("RabbitMQ")
{
    private PrivatePostgres? _ownServer;

    protected override async Task<IReadOnlyDictionary<string, string>> TransportSettingsAsync() =>
        new Dictionary<string, string> { ["ConnectionStrings__RabbitMq"] = await RabbitMqServer.UriAsync() };

    protected override async Task<IReadOnlyDictionary<string, string>> ExtractedSettingsAsync()
    {
        _ownServer = await PrivatePostgres.StartAsync();
        return new Dictionary<string, string>
        {
            ["ConnectionStrings__Modular"] = "",
            ["ConnectionStrings__Inventory"] = _ownServer.ConnectionString,
            ["ConnectionStrings__Payments"] = _ownServer.ConnectionString,
        };
    }

    protected override async ValueTask DisposeResourcesAsync()
    {
        if (_ownServer is not null)
        {
            await _ownServer.DisposeAsync();
        }
    }
}
