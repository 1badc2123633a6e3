using Marten;
using Modular.Modules.Catalog.Contracts;
using Wolverine.Marten;

namespace Modular.Modules.Inventory.Stock;

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
