using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;

namespace Modular.Testing;

/// <summary>
/// A Modular host composed exactly as Program.cs composes it (<c>AddModular</c> + <c>UseModular</c>), in memory,
/// over a real PostgreSQL database, with the module catalog and settings a test chooses.
/// </summary>
public sealed class ModularTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ModularTestHost(WebApplication app, Uri? kestrelAddress)
    {
        _app = app;
        Address = kestrelAddress;
        Client = kestrelAddress is null ? app.GetTestClient() : new HttpClient { BaseAddress = kestrelAddress };
    }

    /// <summary>
    /// Tests send many requests from one client: the rate limiter stays in the pipeline with the shipped policies
    /// (src/Host/Modular.Host/appsettings.json, docs/adr/0021), their limits raised out of reach unless a test sets its own.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> RateLimitsOutOfReach = new Dictionary<string, string?>
    {
        ["Modular:RateLimits:PerCaller:PermitLimit"] = "1000000",
        ["Modular:RateLimits:Policies:OrderPlacement:PermitLimit"] = "1000000",
    };

    public HttpClient Client { get; }

    /// <summary>Where Kestrel listens, for tests that speak raw HTTP; null for an in-memory host.</summary>
    public Uri? Address { get; }

    public IHost Host => _app;

    public IServiceProvider Services => _app.Services;

    public static WebApplication Build(
        string connectionString,
        IReadOnlyList<IModule> catalog,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null) =>
        Build(connectionString, catalog, settings, services, kestrel: false);

    private static WebApplication Build(
        string connectionString,
        IReadOnlyList<IModule> catalog,
        IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? services,
        bool kestrel)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ModularHostExtensions.ConnectionStringName}"] = connectionString,
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(RateLimitsOutOfReach);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        services?.Invoke(builder.Services);
        builder.AddModular(catalog, TypeLoadMode.Dynamic, typeof(ModularTestHost).Assembly);
        var app = builder.Build();
        app.UseModular();
        return app;
    }

    public static async Task<ModularTestHost> StartAsync(
        string connectionString,
        IReadOnlyList<IModule> catalog,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var app = Build(connectionString, catalog, settings, services, kestrel: false);
        await app.StartAsync();
        return new ModularTestHost(app, kestrelAddress: null);
    }

    /// <summary>
    /// The same host behind real Kestrel on a free loopback port: what the server itself does with malformed
    /// requests (request line, headers, body limits) only shows there, never through the in-memory test server.
    /// </summary>
    public static async Task<ModularTestHost> StartOnKestrelAsync(
        string connectionString,
        IReadOnlyList<IModule> catalog,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var app = Build(connectionString, catalog, settings, services, kestrel: true);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ModularTestHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
