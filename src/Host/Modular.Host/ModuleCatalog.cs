using JasperFx.CodeGeneration;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Catalog;
using Modular.Modules.Inventory;
using Modular.Modules.Ordering;
using Modular.Modules.Payments;

namespace Modular.Host;

/// <summary>Every module this build can host. Adding a module is one line here and nothing else.</summary>
public static class ModuleCatalog
{
    public static IReadOnlyList<IModule> All { get; } =
    [
        new CatalogModule(),
        new InventoryModule(),
        new OrderingModule(),
        new PaymentsModule(),
    ];

    /// <summary>Static when this build carries the pre-generated handler code (Release), dynamic otherwise.</summary>
    public static TypeLoadMode CodeMode =>
#if PREGENERATED_CODE
        TypeLoadMode.Static;
#else
        TypeLoadMode.Dynamic;
#endif
}
