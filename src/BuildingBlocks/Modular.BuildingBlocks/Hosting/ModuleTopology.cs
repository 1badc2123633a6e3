using System.Reflection;
using Modular.BuildingBlocks.Modules;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>A module of the catalog handles a message type: the message must reach that module's inbox.</summary>
public sealed record MessageHandling(Type MessageType, IModule Handler);

/// <summary>The module catalog, which of its modules this process hosts, and which module handles which message.</summary>
public sealed class ModuleTopology
{
    private ModuleTopology(IReadOnlyList<IModule> catalog, IReadOnlyList<IModule> hosted)
    {
        Catalog = catalog;
        Hosted = hosted;
        Handling = catalog
            .SelectMany(module => ModuleConventions.HandledMessageTypes(module.Assembly).Select(type => new MessageHandling(type, module)))
            .ToList();
    }

    public IReadOnlyList<IModule> Catalog { get; }

    public IReadOnlyList<IModule> Hosted { get; }

    /// <summary>Every (message, handling module) pair of the catalog, whether the module is hosted here or not.</summary>
    public IReadOnlyList<MessageHandling> Handling { get; }

    public bool IsHosted(IModule module) => Hosted.Contains(module);

    /// <summary>True when another process hosts some of the catalog's modules.</summary>
    public bool IsSplit => Hosted.Count < Catalog.Count;

    /// <summary>The name of the endpoint (queue) where a module receives its messages: its lower-case name.</summary>
    public static string InboxOf(IModule module) => module.Name.ToLowerInvariant();

    /// <summary>
    /// Whether <paramref name="module"/> can send or publish <paramref name="messageType"/>: the message is its own,
    /// or it references the assembly that declares it (another module's Contracts).
    /// </summary>
    public static bool CanSend(IModule module, Type messageType)
    {
        var declaring = messageType.Assembly;
        return declaring == module.Assembly || declaring == module.ContractsAssembly
               || module.Assembly.GetReferencedAssemblies().Any(r => AssemblyName.ReferenceMatchesDefinition(r, declaring.GetName()));
    }

    public static ModuleTopology Select(IReadOnlyList<IModule> catalog, IReadOnlyCollection<string> hostedNames)
    {
        var duplicates = catalog.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"The module catalog names these modules twice: {string.Join(", ", duplicates)}.");
        }

        if (hostedNames.Count == 0)
        {
            return new ModuleTopology(catalog, catalog);
        }

        var unknown = hostedNames.Where(n => !catalog.Any(m => string.Equals(m.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"Configuration '{ModularOptions.SectionName}:Modules' names unknown modules: {string.Join(", ", unknown)}. " +
                $"Known modules: {string.Join(", ", catalog.Select(m => m.Name))}.");
        }

        var hosted = catalog.Where(m => hostedNames.Contains(m.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        return new ModuleTopology(catalog, hosted);
    }
}
