using System.Reflection;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Catalog.Products;

namespace Modular.Modules.Catalog;

/// <summary>Products, their prices and whether they can still be sold.</summary>
public sealed class CatalogModule : Module<ICatalogStore>
{
    public override string Name => "Catalog";

    public override Assembly ContractsAssembly => typeof(ProductAdded).Assembly;

    protected override void ConfigureServices(IServiceCollection services, ModuleSettings settings) =>
        services.AddSingleton(new ProductReadCache(
            settings.Configuration.GetSection(ProductReadCacheOptions.SectionName).Get<ProductReadCacheOptions>() ?? new ProductReadCacheOptions()));

    protected override void ConfigureStore(StoreOptions options)
    {
        options.Schema.For<Product>()
            .Identity(p => p.Sku)
            .UseOptimisticConcurrency(true)
            .Index(p => p.Name);
    }

    /// <summary>One product's changes are handled in the order they were made.</summary>
    public override void GroupMessages(MessageGrouping grouping) => grouping.ByProperty(ContractsAssembly, nameof(ProductAdded.Sku));
}
