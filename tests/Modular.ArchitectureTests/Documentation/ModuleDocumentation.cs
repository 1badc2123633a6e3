using System.Globalization;
using System.Text;
using Modular.BuildingBlocks.Modules;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Wolverine.Runtime.Handlers;

namespace Modular.ArchitectureTests.Documentation;

/// <summary>
/// docs/modules.md, written from the code: each module of the catalog with its schema, its routes, the messages its
/// handlers handle (from Wolverine's handler graph of a running host) and the contract messages its code creates (from
/// its IL: a module sends or publishes what it constructs), and a Mermaid diagram of the messages between modules.
/// </summary>
public static class ModuleDocumentation
{
    public static string Write(IReadOnlyList<IModule> modules, IEnumerable<HandlerChain> chains)
    {
        var contracts = modules.SelectMany(m => ModuleConventions.ContractMessageTypes(m.ContractsAssembly).Select(t => (Type: t, Owner: m)))
            .ToDictionary(c => c.Type.FullName!, c => c.Owner, StringComparer.Ordinal);
        var handled = modules.ToDictionary(m => m.Name, m => HandledBy(m, chains), StringComparer.Ordinal);
        var created = modules.ToDictionary(m => m.Name, m => CreatedBy(m, contracts.Keys), StringComparer.Ordinal);

        var text = new StringBuilder()
            .Append("# Modules\n\n")
            .Append("Generated from the code by `tests/Modular.ArchitectureTests/Documentation/ModuleDocumentationTests.cs`, which fails when\n")
            .Append("this file is stale; `MODULAR_ACCEPT_DOCS=1` on that test rewrites it. Do not edit by hand.\n\n")
            .Append("## Messages between modules\n\n")
            .Append("A module sends or publishes the contract messages its code creates; the arrow goes to each module whose handlers\n")
            .Append("handle them.\n\n")
            .Append("```mermaid\nflowchart LR\n");
        foreach (var (sender, receiver, message) in Flows(modules, handled, created))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {sender} -- {ShortName(message)} --> {receiver}\n");
        }

        text.Append("```\n");
        foreach (var module in modules)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {module.Name}\n\n")
                .Append(CultureInfo.InvariantCulture, $"- Schema: `{module.Schema}`\n")
                .Append(CultureInfo.InvariantCulture, $"- Contracts: `{module.ContractsAssembly.GetName().Name}`\n")
                .Append("- Routes:").Append(List(ModuleConventions.HttpRoutes(module.Assembly).Select(r => $"`{r.Method} {r.Template}`"))).Append('\n')
                .Append("- Handles:").Append(List(handled[module.Name].Select(m => Described(m, contracts)))).Append('\n')
                .Append("- Sends and publishes:").Append(List(created[module.Name].Select(m => Described(m, contracts)))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Each contract message a module's code creates, to each module whose handlers handle it: sender, receiver, message.</summary>
    public static IEnumerable<(string From, string To, string Message)> Flows(IReadOnlyList<IModule> modules, IEnumerable<HandlerChain> chains)
    {
        var contracts = modules.SelectMany(m => ModuleConventions.ContractMessageTypes(m.ContractsAssembly)).Select(t => t.FullName!);
        return Flows(modules, modules.ToDictionary(m => m.Name, m => HandledBy(m, chains), StringComparer.Ordinal),
            modules.ToDictionary(m => m.Name, m => CreatedBy(m, contracts), StringComparer.Ordinal));
    }

    private static IEnumerable<(string From, string To, string Message)> Flows(
        IReadOnlyList<IModule> modules, Dictionary<string, SortedSet<string>> handled, Dictionary<string, SortedSet<string>> created) =>
        from sender in modules
        from message in created[sender.Name]
        from receiver in modules
        where handled[receiver.Name].Contains(message)
        select (sender.Name, receiver.Name, message);

    private static SortedSet<string> HandledBy(IModule module, IEnumerable<HandlerChain> chains) =>
        new(chains.Where(c => c.Handlers.Concat(c.ByEndpoint.SelectMany(e => e.Handlers)).Any(h => h.HandlerType.Assembly == module.Assembly))
            .Select(c => c.MessageType.FullName!), StringComparer.Ordinal);

    /// <summary>The contract messages whose constructor the module's code calls, in any method, lambdas and async methods included.</summary>
    private static SortedSet<string> CreatedBy(IModule module, IEnumerable<string> contractMessages)
    {
        var messages = contractMessages.ToHashSet(StringComparer.Ordinal);
        using var assembly = AssemblyDefinition.ReadAssembly(module.Assembly.Location);
        return new(assembly.MainModule.GetTypes()
            .SelectMany(t => t.Methods)
            .Where(m => m.HasBody)
            .SelectMany(m => m.Body.Instructions)
            .Where(i => i.OpCode == OpCodes.Newobj && i.Operand is MethodReference)
            .Select(i => ((MethodReference)i.Operand).DeclaringType.FullName.Replace('/', '+'))
            .Where(messages.Contains), StringComparer.Ordinal);
    }

    private static string Described(string message, Dictionary<string, IModule> contracts) =>
        contracts.TryGetValue(message, out var owner) ? $"`{ShortName(message)}` ({owner.Name})" : $"`{ShortName(message)}` (its own)";

    private static string ShortName(string fullName) => fullName[(fullName.LastIndexOfAny(['.', '+']) + 1)..];

    private static string List(IEnumerable<string> items) => items.ToList() is { Count: > 0 } list ? " " + string.Join(", ", list) : " none";
}
