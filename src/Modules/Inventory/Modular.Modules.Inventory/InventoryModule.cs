using System.Reflection;
using Marten;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Inventory.Reservations;
using Modular.Modules.Inventory.Stock;

namespace Modular.Modules.Inventory;

/// <summary>Stock on hand per SKU, and what orders hold of it.</summary>
public sealed class InventoryModule : Module<IInventoryStore>
{
    public override string Name => "Inventory";

    public override Assembly ContractsAssembly => typeof(ReserveStock).Assembly;

    protected override void ConfigureStore(StoreOptions options)
    {
        // Optimistic concurrency is what keeps stock from being oversold: two reservations that read the same
        // version of an item cannot both commit; the loser is retried and reads what the winner left.
        options.Schema.For<StockItem>().Identity(s => s.Sku).UseOptimisticConcurrency(true);
        options.Schema.For<Reservation>().Identity(r => r.OrderId).UseOptimisticConcurrency(true);
        options.Schema.For<StockReceipt>().Identity(r => r.IdempotencyKey);
    }

    /// <summary>
    /// Reservations by SKU: a burst of orders for one product is handled one at a time in one slot, without optimistic
    /// concurrency conflicts, while other products' reservations run beside it. An order of several products is grouped
    /// by the first of them; a clash on the others is settled by retrying. Everything else by order.
    /// </summary>
    public override void GroupMessages(MessageGrouping grouping) => grouping
        .ByProperty(ContractsAssembly, nameof(ReserveStock.OrderId))
        .By<ReserveStock>(command => command.Lines?.Where(l => l is not null).Select(l => l.Sku).Order(StringComparer.Ordinal).FirstOrDefault());
}
