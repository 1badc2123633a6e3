using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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

    private ModularTestHost(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IHost Host => _app;

    public IServiceProvider Services => _app.Services;

    public static WebApplication Build(
        string connectionString,
        IReadOnlyList<IModule> catalog,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ModularHostExtensions.ConnectionStringName}"] = connectionString,
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
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
        var app = Build(connectionString, catalog, settings, services);
        await app.StartAsync();
        return new ModularTestHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
