using Modular.BuildingBlocks.Modules;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>The module catalog and which of its modules this process hosts.</summary>
public sealed class ModuleTopology
{
    private ModuleTopology(IReadOnlyList<IModule> catalog, IReadOnlyList<IModule> hosted)
    {
        Catalog = catalog;
        Hosted = hosted;
    }

    public IReadOnlyList<IModule> Catalog { get; }

    public IReadOnlyList<IModule> Hosted { get; }

    public bool IsHosted(IModule module) => Hosted.Contains(module);

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
