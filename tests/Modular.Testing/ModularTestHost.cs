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
using Modular.BuildingBlocks.Persistence;
using Modular.BuildingBlocks.Security;
using Wolverine;
using Wolverine.Tracking;

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
        Client = AnonymousClient().ActingAs(TestIdentity.Admin, Roles.Admin);
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

    /// <summary>A client acting as an admin, who may do anything.</summary>
    public HttpClient Client { get; }

    /// <summary>A new client that sends no token.</summary>
    public HttpClient AnonymousClient() => Address is null ? _app.GetTestClient() : new HttpClient { BaseAddress = Address };

    /// <summary>A new client acting as <paramref name="subject"/> with <paramref name="roles"/>.</summary>
    public HttpClient ClientAs(string subject, params string[] roles) => AnonymousClient().ActingAs(subject, roles);

    /// <summary>Where Kestrel listens, for tests that speak raw HTTP; null for an in-memory host.</summary>
    public Uri? Address { get; }

    public IHost Host => _app;

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// How long a tracked session waits for every message its action caused. Test hosts compile a handler's code when
    /// its first message arrives (<see cref="TypeLoadMode.Dynamic"/>; the shipped host loads pre-generated code, docs/adr/0008):
    /// measured 3 s on an idle machine and 28 s while CI runs the test assemblies side by side on 2 cores, so the
    /// limit leaves room for that and still names a message that never ends.
    /// </summary>
    public static readonly TimeSpan TrackedTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Wolverine's message tracking of this host, waiting up to <see cref="TrackedTimeout"/>.</summary>
    public TrackedSessionConfiguration Tracked() => _app.TrackActivity().Timeout(TrackedTimeout);

    /// <summary>Handles <paramref name="message"/> here and waits until every message it caused has been handled.</summary>
    public Task<ITrackedSession> SendAsync(object message) => Tracked().InvokeMessageAndWaitAsync(message);

    /// <summary>Publishes <paramref name="message"/> to its subscribers and waits until every message it caused has been handled.</summary>
    public Task<ITrackedSession> PublishAsync(object message) => Tracked().PublishMessageAndWaitAsync(message);

    /// <summary>Sends the request with <see cref="Client"/> and waits until every message it caused has been handled.</summary>
    public async Task<(HttpResponseMessage Response, ITrackedSession Tracked)> TrackAsync(Func<HttpClient, Task<HttpResponseMessage>> request)
    {
        HttpResponseMessage? response = null;
        var tracked = await Tracked().ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ => response = await request(Client)));
        return (response!, tracked);
    }

    /// <param name="login">
    /// <see cref="DatabaseLogin.Owner"/> for a host that runs an operator's command, as <c>resources setup</c> is run.
    /// </param>
    public static WebApplication Build(
        string connectionString,
        IReadOnlyList<IModule> catalog,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        DatabaseLogin login = DatabaseLogin.ModuleRoles) =>
        Build(connectionString, catalog, settings, services, kestrel: false, login);

    private static WebApplication Build(
        string connectionString,
        IReadOnlyList<IModule> catalog,
        IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? services,
        bool kestrel,
        DatabaseLogin login = DatabaseLogin.ModuleRoles)
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
            [TestIdentity.KeyPathSetting] = TestIdentity.KeyPath,
        });
        builder.Configuration.AddInMemoryCollection(RateLimitsOutOfReach);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        services?.Invoke(builder.Services);
        builder.AddModular(catalog, TypeLoadMode.Dynamic, typeof(ModularTestHost).Assembly, login);
        var app = builder.Build();
        app.UseModular();
        return app;
    }

    /// <summary>A host that refuses to start (a test may expect it to) leaves nothing running behind it.</summary>
    private static async Task StartOrDisposeAsync(WebApplication app)
    {
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public static async Task<ModularTestHost> StartAsync(
        string connectionString,
        IReadOnlyList<IModule> catalog,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var app = Build(connectionString, catalog, settings, services, kestrel: false);
        await StartOrDisposeAsync(app);
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
        await StartOrDisposeAsync(app);
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
