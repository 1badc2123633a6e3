using Modular.Modules.Catalog.Contracts;

namespace Modular.Modules.Rogue;

/// <summary>The lawful way into another module, through its contracts: no rule may report this type.</summary>
public static class LawfulCatalogReader
{
    public static string SkuOf(ProductAdded added) => added.Sku;
}
