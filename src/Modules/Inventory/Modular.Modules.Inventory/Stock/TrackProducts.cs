using FluentValidation;
using Marten;
using Modular.BuildingBlocks.Validation;
using Modular.Modules.Catalog.Contracts;
using Wolverine.Marten;

namespace Modular.Modules.Inventory.Stock;

public sealed class ProductAddedValidator : AbstractValidator<ProductAdded>
{
    public ProductAddedValidator() => RuleFor(x => x.Sku).MustBeCatalogSku();
}

public sealed class ProductDiscontinuedValidator : AbstractValidator<ProductDiscontinued>
{
    public ProductDiscontinuedValidator() => RuleFor(x => x.Sku).MustBeCatalogSku();
}

/// <summary>
/// Inventory learns which SKUs exist from Catalog. Both events may arrive in either order (they travel on separate
/// deliveries), and either may arrive twice; each is applied at most once and a discontinuation is final.
/// </summary>
public static class TrackProductsHandler
{
    public static async Task<IMartenOp> Handle(ProductAdded added, IDocumentSession session, CancellationToken cancellation) =>
        await session.LoadAsync<StockItem>(added.Sku, cancellation) is null
            ? MartenOps.Insert(StockItem.For(added.Sku))
            : MartenOps.Nothing();

    public static async Task<IMartenOp> Handle(ProductDiscontinued discontinued, IDocumentSession session, CancellationToken cancellation)
    {
        var item = await session.LoadAsync<StockItem>(discontinued.Sku, cancellation) ?? StockItem.For(discontinued.Sku);
        if (item.Discontinued)
        {
            return MartenOps.Nothing();
        }

        item.Discontinue();
        return MartenOps.Store(item);
    }
}
