using Modular.BuildingBlocks.Modules;
using Modular.Host;

namespace Modular.ArchitectureTests;

/// <summary>
/// The modules of <see cref="ModuleCatalog.All"/> as theory data, so a module added to the catalog is checked
/// without touching a test. Names, not modules: xunit shows each name as a test case of its own.
/// </summary>
public static class CatalogModules
{
    public static TheoryData<string> Names => new(ModuleCatalog.All.Select(m => m.Name));

    public static IModule Named(string name) => ModuleCatalog.All.Single(m => m.Name == name);
}
