using Modular.Modules.Catalog.Products;

namespace Modular.Modules.Rogue;

/// <summary>Breaks the module boundary: reads Catalog's internal document instead of its contracts.</summary>
public static class ProductPeek
{
    public static string SkuOf(Product product) => product.Sku;
}
