using System.Reflection;
using Modular.BuildingBlocks.Modules;
using NetArchTest.Rules;

namespace Modular.ArchitectureTests.Rules;

/// <summary>
/// Rule: handlers and endpoints are public static classes of pure functions that return their effects
/// (events, Marten operations, cascaded messages), so that each can be tested by calling it.
/// </summary>
public static class EntryPointShape
{
    // IMessageContext is an IMessageBus with the envelope attached: the same way to send from inside a handler.
    private static readonly string[] Buses = ["Wolverine.IMessageBus", "Wolverine.IMessageContext"];

    public static IReadOnlyList<string> Violations(Assembly module)
    {
        var violations = new List<string>();

        // Every class, not only the exported ones: Wolverine silently skips a handler that is not public.
        var handlers = module.DeclaredTypes().Where(t => t.IsClass && t.Name.EndsWith(ModuleConventions.HandlerSuffix, StringComparison.Ordinal));
        violations.AddRange(handlers.Where(t => !t.IsVisible || !t.IsStaticClass())
            .Select(t => $"{t.FullName} is a handler but not a public static class"));

        foreach (var endpoint in ModuleConventions.EndpointTypes(module))
        {
            if (!endpoint.IsStaticClass())
            {
                violations.Add($"{endpoint.FullName} declares HTTP endpoints but is not a public static class");
            }

            if (!endpoint.Name.EndsWith(ModuleConventions.EndpointSuffix, StringComparison.Ordinal))
            {
                violations.Add($"{endpoint.FullName} declares HTTP endpoints but is not named *{ModuleConventions.EndpointSuffix}");
            }
        }

        var senders = Types.InAssembly(module).Should().NotHaveDependencyOnAny(Buses).GetResult().FailingTypeNames ?? [];
        violations.AddRange(senders.Select(t => $"{t} depends on {string.Join(" or ", Buses)}; handlers return their effects instead of sending them"));
        return violations;
    }
}
