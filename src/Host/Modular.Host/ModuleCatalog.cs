using JasperFx.CodeGeneration;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Catalog;
using Modular.Modules.Inventory;
using Modular.Modules.Ordering;
using Modular.Modules.Payments;
using Modular.Modules.Shipping;

namespace Modular.Host;

/// <summary>
/// Every module this build can host. To add a module, from the repository root:
/// <code>
/// dotnet new install ./templates/module
/// dotnet new modular-module -n Shipping
/// </code>
/// then add its line below (<c>new ShippingModule(),</c> with its <c>using</c>). The host references every project under
/// src/Modules already. What the tests then write for you to commit: <c>scripts/codegen.sh</c> (the pre-generated handlers
/// of Release builds), <c>MODULAR_ACCEPT_DOCS=1 dotnet test tests/Modular.ArchitectureTests</c> (docs/modules.md and the
/// module's contract snapshot, docs/contracts/Shipping.txt) and the Host tests (its routes in docs/contracts/http-api-v1.txt,
/// one file per API version). scripts/check-template.sh makes a module this way in a scratch copy on every test run and
/// runs the architecture tests and the new module's tests over it.
/// </summary>
public static class ModuleCatalog
{
    public static IReadOnlyList<IModule> All { get; } =
    [
        new CatalogModule(),
        new InventoryModule(),
        new OrderingModule(),
        new PaymentsModule(),
        new ShippingModule(),
    ];

    /// <summary>Static when this build carries the pre-generated handler code (Release), dynamic otherwise.</summary>
    public static TypeLoadMode CodeMode =>
#if PREGENERATED_CODE
        TypeLoadMode.Static;
#else
        TypeLoadMode.Dynamic;
#endif
}
