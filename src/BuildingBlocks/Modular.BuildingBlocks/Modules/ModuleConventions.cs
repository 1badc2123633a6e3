using System.Reflection;
using Wolverine.Http;

namespace Modular.BuildingBlocks.Modules;

/// <summary>
/// The agreed shape of a module's entry points, shared by the start-up route check (which must know what a
/// module it does not host would handle) and the architecture tests (which enforce the shape).
/// </summary>
public static class ModuleConventions
{
    public const string HandlerSuffix = "Handler";
    public const string EndpointSuffix = "Endpoint";

    private static readonly string[] HandlerMethodNames = ["Handle", "HandleAsync", "Consume", "ConsumeAsync"];

    /// <summary>Types Wolverine would treat as message handlers: named <c>*Handler</c>.</summary>
    public static IEnumerable<Type> HandlerTypes(Assembly assembly) =>
        assembly.GetExportedTypes().Where(t => t.IsClass && t.Name.EndsWith(HandlerSuffix, StringComparison.Ordinal));

    /// <summary>Types declaring at least one Wolverine HTTP endpoint method.</summary>
    public static IEnumerable<Type> EndpointTypes(Assembly assembly) =>
        assembly.GetExportedTypes().Where(t => t.IsClass && t
            .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Any(m => m.GetCustomAttributes<WolverineHttpMethodAttribute>().Any()));

    /// <summary>The HTTP routes a module's endpoints answer, as (method, route template) pairs.</summary>
    public static IEnumerable<(string Method, string Template)> HttpRoutes(Assembly assembly) =>
        EndpointTypes(assembly)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetCustomAttributes<WolverineHttpMethodAttribute>())
            .Select(a => (a.HttpMethod, "/" + a.Template.TrimStart('/')))
            .OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.HttpMethod, StringComparer.Ordinal);

    public static IEnumerable<MethodInfo> HandlerMethods(Type handlerType) =>
        handlerType.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => HandlerMethodNames.Contains(m.Name) && m.GetParameters().Length > 0);

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
