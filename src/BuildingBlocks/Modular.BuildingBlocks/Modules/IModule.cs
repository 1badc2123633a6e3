using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Persistence;
using Wolverine;
using Wolverine.Configuration;

namespace Modular.BuildingBlocks.Modules;

/// <summary>
/// A bounded context the host can compose. One class per module implements it (usually through
/// <see cref="Module{TStore}"/>) and owns the module's whole registration: its Marten store and schema,
/// its services, its Wolverine options and, through Wolverine discovery, its HTTP endpoints.
/// </summary>
public interface IModule
{
    /// <summary>The module's name as used in configuration (<c>Modular:Modules</c>) and in logs.</summary>
    string Name { get; }

    /// <summary>The PostgreSQL schema that holds every table of this module, and nothing else.</summary>
    string Schema { get; }

    /// <summary>The assembly with the module's handlers, endpoints and documents.</summary>
    Assembly Assembly { get; }

    /// <summary>The only assembly of this module another module may reference: its public messages.</summary>
    Assembly ContractsAssembly { get; }

    void AddServices(IServiceCollection services, ModuleSettings settings);

    /// <summary>The module's Wolverine settings: handler discovery, its store, error policies (which may read <paramref name="settings"/>).</summary>
    void ConfigureMessaging(WolverineOptions options, ModuleSettings settings);

    /// <summary>
    /// Settings of the endpoint where this module receives its messages, whichever transport carries them:
    /// parallelism, a circuit breaker. See docs/adr/0009.
    /// </summary>
    void ConfigureInbox(Endpoint inbox, ModuleSettings settings)
    {
    }

    /// <summary>
    /// Which of the messages this module defines must not be handled at the same time as each other (docs/adr/0031).
    /// Every process applies every module's grouping, hosted or not: the sender decides a message's group.
    /// </summary>
    void GroupMessages(MessageGrouping grouping)
    {
    }
}

/// <summary>What a module needs from the host to register itself.</summary>
/// <param name="Database">Whom each module's store and Wolverine's message store log in to PostgreSQL as (docs/adr/0020).</param>
/// <param name="EnvelopeSchema">The schema of this process's Wolverine envelope tables, which the module's store enrolls in.</param>
public sealed record ModuleSettings(DatabaseLogins Database, IConfiguration Configuration, string EnvelopeSchema);
