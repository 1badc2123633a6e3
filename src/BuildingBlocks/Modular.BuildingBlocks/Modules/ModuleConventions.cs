using System.Reflection;
using Modular.BuildingBlocks.Http;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;
using Wolverine.Runtime.Handlers;

namespace Modular.BuildingBlocks.Modules;

/// <summary>
/// What a module handles and answers, read from its assembly without running it: routing must know what a module hosted
/// in another process handles. Handlers are found by Wolverine's own conventional discovery rules (its constants and
/// attributes); every process that hosts a module checks at start-up that Wolverine's handler graph found nothing these
/// rules miss (<see cref="Messaging.RouteCheck"/>), so the two cannot drift apart unnoticed. See docs/adr/0036.
/// </summary>
public static class ModuleConventions
{
    public const string HandlerSuffix = HandlerChain.HandlerSuffix;
    public const string EndpointSuffix = "Endpoint";

    // Wolverine's HandlerDiscovery: these names (and each with "Async"), or [WolverineHandler]. Its rule set is internal.
    private static readonly string[] HandlerMethodNames = new[]
        {
            HandlerChain.Handle, HandlerChain.Handles, HandlerChain.Consume, HandlerChain.Consumes, "Orchestrate", "Orchestrates", "Start",
            "Starts", "StartOrHandle", "StartsOrHandles", "NotFound",
        }
        .SelectMany(name => new[] { name, name + "Async" }).ToArray();

    /// <summary>
    /// Types Wolverine's conventional discovery takes as message handlers: public classes named <c>*Handler</c> or
    /// <c>*Consumer</c>, sagas, <see cref="IWolverineHandler"/>s and classes marked <see cref="WolverineHandlerAttribute"/>,
    /// unless marked <see cref="WolverineIgnoreAttribute"/>.
    /// </summary>
    public static IEnumerable<Type> HandlerTypes(Assembly assembly) =>
        assembly.GetExportedTypes().Where(t => t is { IsClass: true, ContainsGenericParameters: false }
                                               && (!t.IsAbstract || t.IsSealed)
                                               && t.GetCustomAttribute<WolverineIgnoreAttribute>() is null
                                               && (t.Name.EndsWith(HandlerChain.HandlerSuffix, StringComparison.Ordinal)
                                                   || t.Name.EndsWith(HandlerChain.ConsumerSuffix, StringComparison.Ordinal)
                                                   || typeof(Saga).IsAssignableFrom(t)
                                                   || typeof(IWolverineHandler).IsAssignableFrom(t)
                                                   || t.GetCustomAttribute<WolverineHandlerAttribute>() is not null));

    /// <summary>Types declaring at least one Wolverine HTTP endpoint method.</summary>
    public static IEnumerable<Type> EndpointTypes(Assembly assembly) =>
        assembly.GetExportedTypes().Where(t => t.IsClass && t
            .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Any(m => m.GetCustomAttributes<WolverineHttpMethodAttribute>().Any()));

    /// <summary>
    /// The HTTP routes a module's endpoints answer, as (method, route template) pairs: each template in each API version
    /// the endpoint declares, as Wolverine's versioning serves it (<see cref="ApiVersions"/>).
    /// </summary>
    public static IEnumerable<(string Method, string Template)> HttpRoutes(Assembly assembly) =>
        EndpointTypes(assembly)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetCustomAttributes<WolverineHttpMethodAttribute>()
                .SelectMany(a => ApiVersions.Of(m).Select(version => (a.HttpMethod, ApiVersions.Route(version, a.Template)))))
            .OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.HttpMethod, StringComparer.Ordinal);

    public static IEnumerable<MethodInfo> HandlerMethods(Type handlerType) =>
        handlerType.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => (HandlerMethodNames.Contains(m.Name) || m.GetCustomAttribute<WolverineHandlerAttribute>() is not null)
                        && m is { IsSpecialName: false, ContainsGenericParameters: false }
                        && m.GetCustomAttribute<WolverineIgnoreAttribute>() is null
                        && m.GetParameters().Length > 0);

    /// <summary>The message types a module's handlers accept (the first parameter of each handler method).</summary>
    public static IReadOnlySet<Type> HandledMessageTypes(Assembly assembly) =>
        HandlerTypes(assembly)
            .SelectMany(HandlerMethods)
            .Select(m => m.GetParameters()[0].ParameterType)
            .ToHashSet();

    /// <summary>The public messages a Contracts assembly declares.</summary>
    public static IEnumerable<Type> ContractMessageTypes(Assembly contracts) =>
        contracts.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false } && !t.IsNested && IsMessageName(t));

    // Value objects used inside messages (Money, lines of an order) are contracts too but not messages:
    // a message is a record whose name the module's own handlers or publishers use as a verb phrase.
    // Telling them apart needs no marker interface (contracts reference nothing but the BCL):
    // messages live in the Contracts root namespace, value objects in a ".Model" sub-namespace.
    private static bool IsMessageName(Type type) =>
        type.Namespace == type.Assembly.GetName().Name;
}
