using System.Reflection;
using FluentValidation;
using JasperFx;
using JasperFx.OpenTelemetry;
using Marten;
using Modular.BuildingBlocks.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.Marten;

namespace Modular.BuildingBlocks.Modules;

/// <summary>
/// The usual shape of a module: one Marten store of its own (<typeparamref name="TStore"/>) in its own schema,
/// integrated with Wolverine so its handlers and endpoints get the transactional outbox.
/// </summary>
/// <typeparam name="TStore">The module's store marker, e.g. <c>public interface ICatalogStore : IDocumentStore;</c></typeparam>
public abstract class Module<TStore> : IModule where TStore : class, IDocumentStore
{
    public abstract string Name { get; }

    public virtual string Schema => Name.ToLowerInvariant();

    public Assembly Assembly => GetType().Assembly;

    public abstract Assembly ContractsAssembly { get; }

    public void AddServices(IServiceCollection services, ModuleSettings settings)
    {
        services.AddMartenStore<TStore>(options =>
            {
                options.Connection(settings.Database.ForModule(this));
                options.DatabaseSchemaName = Schema;
                if (settings.Database.UsesRoles)
                {
                    // The module's role may read and write its tables, not change them: the schema is resources setup's work.
                    options.AutoCreateSchemaObjects = AutoCreate.None;
                }

                ConfigureStore(options);
            })
            .IntegrateWithWolverine(integration => integration.SchemaName = settings.EnvelopeSchema);

        // Wolverine 6 refuses validators behind opaque factory registrations, and validators hold no state:
        // scan them in as singletons, one registration per IValidator<T> they implement.
        services.Scan(scan => scan
            .FromAssemblies(Assembly)
            .AddClasses(classes => classes.AssignableTo(typeof(IValidator<>)))
            .AsImplementedInterfaces()
            .WithSingletonLifetime());

        ConfigureServices(services, settings);
    }

    public void ConfigureMessaging(WolverineOptions options, ModuleSettings settings)
    {
        options.Discovery.IncludeAssembly(Assembly);
        options.Policies.UseAncillaryStorageFromAssembly(typeof(TStore), Assembly);
        ConfigureWolverine(options, settings);
    }

    public virtual void ConfigureInbox(Endpoint inbox, ModuleSettings settings)
    {
    }

    public virtual void GroupMessages(MessageGrouping grouping)
    {
    }

    /// <summary>Documents, indexes and event-sourcing options of the module's store.</summary>
    protected virtual void ConfigureStore(StoreOptions options)
    {
    }

    /// <summary>Services the module's handlers need besides its store and validators.</summary>
    protected virtual void ConfigureServices(IServiceCollection services, ModuleSettings settings)
    {
    }

    /// <summary>Module-specific Wolverine settings, such as error policies for its handlers.</summary>
    protected virtual void ConfigureWolverine(WolverineOptions options, ModuleSettings settings)
    {
    }
}
