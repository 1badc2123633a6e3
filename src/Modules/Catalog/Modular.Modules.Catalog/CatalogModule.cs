using System.Reflection;
using Marten;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Catalog.Products;

namespace Modular.Modules.Catalog;

/// <summary>Products, their prices and whether they can still be sold.</summary>
public sealed class CatalogModule : Module<ICatalogStore>
{
    public override string Name => "Catalog";

    public override Assembly ContractsAssembly => typeof(ProductAdded).Assembly;

    protected override void ConfigureStore(StoreOptions options)
    {
        options.Schema.For<Product>()
            .Identity(p => p.Sku)
            .UseOptimisticConcurrency(true)
            .Index(p => p.Name);
    }
}
