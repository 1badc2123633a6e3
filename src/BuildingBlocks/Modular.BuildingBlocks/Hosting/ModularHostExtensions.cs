using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CommandLine.Descriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Http;
using Modular.BuildingBlocks.Logging;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Operations;
using Modular.BuildingBlocks.Persistence;
using Modular.BuildingBlocks.Security;
using Modular.BuildingBlocks.Telemetry;
using Modular.BuildingBlocks.Validation;
using Serilog;
using Wolverine;
using Wolverine.Http;

namespace Modular.BuildingBlocks.Hosting;

public static class ModularHostExtensions
{
    public const string ConnectionStringName = "Modular";

    /// <summary>
    /// How long the host may take to stop after SIGTERM: under the 30 s an orchestrator waits before it kills the process
    /// (Kubernetes' default grace period). The web server lets requests in flight finish first, then Wolverine lets its
    /// handlers in flight finish (<see cref="MessagingDefaults.DrainTimeout"/>); messages not started stay in the inbox.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    private const string ReadyTag = ModuleGateway.ReadyTag;

    /// <summary>
    /// Composes the modules of <paramref name="catalog"/> that configuration selects into this process, with the
    /// platform around them: Wolverine, logging, problem details, health checks and OpenAPI.
    /// </summary>
    /// <param name="codeMode">
    /// <see cref="TypeLoadMode.Static"/> when the host assembly carries pre-generated handler code (Release builds).
    /// </param>
    /// <param name="hostAssembly">Where generated handler code lives (<c>Internal.Generated</c>).</param>
    /// <param name="login">
    /// Whom the process logs in to PostgreSQL as: <see cref="DatabaseLogins.LoginFor"/> the command line (docs/adr/0020).
    /// </param>
    public static WebApplicationBuilder AddModular(
        this WebApplicationBuilder builder, IReadOnlyList<IModule> catalog, TypeLoadMode codeMode, Assembly hostAssembly,
        DatabaseLogin login = DatabaseLogin.ModuleRoles)
    {
        builder.Configuration.AddSecretFiles();
        var settings = builder.Configuration.GetSection(ModularOptions.SectionName).Get<ModularOptions>() ?? new ModularOptions();
        var topology = ModuleTopology.Select(catalog, settings.Modules);
        var (connectionString, ownDatabases) = ProcessDatabase(builder.Configuration, topology, MessagingDefaults.TransportFor(topology, settings));
        var envelopeSchema = MessagingDefaults.EnvelopeSchemaFor(topology, settings);
        var database = DatabaseLogins.Create(
            connectionString, builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions(),
            topology, envelopeSchema, MessagingDefaults.TransportFor(topology, settings), login, ownDatabases);
        builder.Services.AddSingleton(topology);
        builder.Services.AddSingleton(settings);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);

        builder.AddModularTelemetry(settings);

        var moduleSettings = new ModuleSettings(database, builder.Configuration, envelopeSchema);
        foreach (var module in topology.Hosted)
        {
            module.AddServices(builder.Services, moduleSettings);
        }

        builder.Services.CritterStackDefaults(defaults =>
        {
            defaults.Production.GeneratedCodeMode = codeMode;
            defaults.Production.ResourceAutoCreate = AutoCreate.None;
            defaults.Development.GeneratedCodeMode = codeMode;
            defaults.Development.ResourceAutoCreate = AutoCreate.CreateOrUpdate;
        });
        if (login == DatabaseLogin.ModuleRoles)
        {
            // The service, not an operator's command: before Wolverine's runtime, which as Solo takes over the whole schema.
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<EnvelopeSchemaLock>(sp, database.Messaging, envelopeSchema, settings.Durability));
        }

        builder.Host.UseWolverine(options =>
        {
            options.ApplicationAssembly = hostAssembly;
            options.ApplyModularDefaults(moduleSettings, settings, topology);
        });
        builder.Services.AddHostedService<RouteCheck>();
        if (login == DatabaseLogin.ModuleRoles)
        {
            // After Wolverine's runtime: the messages a former deployment shape left for this process's modules (docs/adr/0028).
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<StrandedMessages>(
                sp, database.Messaging, envelopeSchema, MessagingDefaults.TransportFor(topology, settings)));
        }

        if (database.Roles.Count > 0)
        {
            builder.Services.AddSingleton<ISystemPart>(new DatabaseRolesPart(database));
        }

        // Everything registered so far that starts with the host needs PostgreSQL: it waits for it (docs/adr/0016).
        builder.Services.AddStartupGate(database.Messaging);
        builder.Services.AddWolverineHttp();

        builder.AddInputHardening(settings);
        builder.AddModularSecurity(settings.Authentication);
        builder.Services.AddTrustedProxies(settings.ForwardedHeaders);
        builder.Services.AddRateLimits(settings.RateLimits);
        // Nothing here protects data with ASP.NET Core's key ring (no cookies, no antiforgery). Without this every start
        // on a read-only file system (deploy/k8s) warns that the key folder cannot be written, then keeps keys in memory anyway.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ExceptionProblemDetails>();
        // A document per API version (docs/adr/0038); the platform's own routes, which have no version, are in the first.
        // Pre-generated code describes every module's endpoints; a document lists the routes this process answers.
        foreach (var version in ApiVersions.Published)
        {
            var document = ApiVersions.DocumentName(version);
            builder.Services.AddOpenApi(document, openApi =>
            {
                openApi.ShouldInclude = description =>
                    (description.GroupName == document || (description.GroupName is null && version == ApiVersions.Default))
                    && ModuleGateway.AnswersRoutesOf(ModuleGateway.ModuleOf(description.ActionDescriptor.EndpointMetadata, topology), topology, settings);
                openApi.AddBearerScheme();
            });
        }
        var health = builder.Services.AddHealthChecks()
            .AddNpgSql(database.Messaging, name: "postgresql", tags: [ReadyTag]);
        foreach (var (module, ownDatabase) in database.OwnDatabases)
        {
            health.AddNpgSql(ownDatabase, name: $"postgresql:{module}", tags: [ReadyTag]);
        }
        builder.Services.AddModuleGateway(topology, settings);
        builder.Services.AddOperations(topology, settings);
        builder.AddModularMetrics();

        return builder;
    }

    /// <summary>
    /// The database of this process's envelope tables, and the modules whose data lives in another one. A module's data
    /// is in <c>ConnectionStrings:&lt;Module&gt;</c> when set, else in <c>ConnectionStrings:Modular</c>. The envelope tables
    /// go with the modules when every module of the process has the same database of its own (a database per service:
    /// <c>ConnectionStrings:Modular</c> is then not needed); otherwise they are in <c>ConnectionStrings:Modular</c>.
    /// </summary>
    private static (string ConnectionString, IReadOnlyDictionary<string, string> OwnDatabases) ProcessDatabase(
        IConfiguration configuration, ModuleTopology topology, ModuleTransport transport)
    {
        var own = topology.Hosted
            .Select(m => (m.Name, ConnectionString: configuration.GetConnectionString(m.Name)))
            .Where(m => !string.IsNullOrWhiteSpace(m.ConnectionString))
            .ToDictionary(m => m.Name, m => m.ConnectionString!, StringComparer.OrdinalIgnoreCase);
        var shared = own.Count == topology.Hosted.Count && own.Values.Distinct().Count() == 1 ? own.Values.First() : null;
        if (shared is not null && transport == ModuleTransport.PostgreSQL)
        {
            throw new InvalidOperationException(
                $"Every module of this process ({string.Join(", ", topology.Hosted.Select(m => m.Name))}) has a database of its own, which would " +
                "take this process's envelope and queue tables there too; but the PostgreSQL queue transport needs every process's queue " +
                $"tables in one shared database, 'ConnectionStrings:{ConnectionStringName}'. Run a database per service with " +
                $"'{ModularOptions.SectionName}:Transport' = RabbitMQ, or keep the modules' data in 'ConnectionStrings:{ConnectionStringName}'.");
        }

        var connectionString = shared ?? configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"No PostgreSQL connection string: set 'ConnectionStrings:{ConnectionStringName}' " +
                $"(environment variable ConnectionStrings__{ConnectionStringName}), or start the system with scripts/run.sh, " +
                "which provisions a local PostgreSQL.");
        }

        return (ConnectionTuning.Apply(connectionString),
            own.Where(m => m.Value != connectionString).ToDictionary(m => m.Key, m => ConnectionTuning.Apply(m.Value), StringComparer.OrdinalIgnoreCase));
    }

    public static WebApplication UseModular(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<ModularOptions>();
        // First: everything after it, the rate limiter and the request log among them, sees the client a trusted proxy names.
        app.UseForwardedHeaders();
        // A route named without a version is the default version's; rewritten before routing picks an endpoint.
        app.UseUnversionedRoutes();
        app.UseRouting();
        app.UseSecurityHeaders();
        app.UseOperationsConsoleAssets();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLog();
        // Who is calling is settled before a body is read: a caller without the right learns nothing of the body's rules.
        // Rate limits sit between: they count per authenticated subject, and refuse before authorization is evaluated.
        app.UseAuthentication();
        app.UseRateLimits(settings.RateLimits);
        app.UseAuthorization();
        app.UseInputHardening();
        app.UseStartupGate();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).AllowAnonymous();
        app.MapModularMetrics();

        app.MapGet("/api/modules", (HttpContext context, ModuleTopology topology) => TopologyView.Of(topology, settings, internals: context.User.IsAdmin()))
            .WithSummary("The modules of this deployment: where each runs, its schema, messages and routes")
            .WithTags("Platform")
            .RequireAuthorization(Policies.Admin);

        app.MapApiReference(settings.ApiReference);
        app.MapWolverineEndpoints(http =>
        {
            http.RejectUnparseableQueryValues = true;
            http.UseApiVersioning(ApiVersions.Configure);
            http.AddPolicy<ValidationPolicy>();
        });
        app.MapDeadLetters().RequireAuthorization(Policies.Admin);
        app.MapActivity().RequireAuthorization(Policies.Admin);
        app.MapOperationsConsole();
        app.MapReverseProxy();
        return app;
    }
}
