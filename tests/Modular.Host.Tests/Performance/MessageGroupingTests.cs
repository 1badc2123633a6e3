using Modular.BuildingBlocks.Messaging;
using Modular.Host;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Payments.Contracts;
using Wolverine;

namespace Modular.Host.Tests.Performance;

/// <summary>
/// The groups the modules declare: messages of one group are handled one at a time, in one inbox slot (docs/adr/0031).
/// </summary>
public sealed class MessageGroupingTests
{
    private static readonly MessageGrouping Grouping = Declared();

    [Fact]
    public void One_orders_messages_share_its_id_as_their_group_in_every_module()
    {
        var order = Guid.NewGuid();

        var groups = new[]
        {
            GroupOf(new StockReserved(order, [new("A-1", 1)], DateTimeOffset.UtcNow)),
            GroupOf(new ReleaseStock(order)),
            GroupOf(new AuthorizePayment(order, 5m, "EUR", null, "sealed")),
            GroupOf(new PaymentAuthorized(order, "auth-1", 5m, "EUR", DateTimeOffset.UtcNow)),
        };

        Assert.All(groups, group => Assert.Equal(order.ToString(), group));
    }

    [Fact]
    public void Reservations_are_grouped_by_product_so_a_burst_on_one_SKU_queues_in_one_slot_instead_of_conflicting()
    {
        Assert.Equal("HOT-1", GroupOf(new ReserveStock(Guid.NewGuid(), [new("HOT-1", 1)])));
        Assert.Equal("HOT-1", GroupOf(new ReserveStock(Guid.NewGuid(), [new("HOT-1", 2)])));
        // Several products: the first in ordinal order, whichever order the lines come in.
        Assert.Equal("A-2", GroupOf(new ReserveStock(Guid.NewGuid(), [new("B-1", 1), new("A-2", 1)])));
        // An invalid reservation (no lines) has no group and still reaches its validator.
        Assert.Null(GroupOf(new ReserveStock(Guid.NewGuid(), [])));
    }

    [Fact]
    public void A_products_changes_are_grouped_by_its_SKU()
    {
        Assert.Equal("MUG-1", GroupOf(new ProductPriceChanged("MUG-1", 1m, "EUR", 2m, "EUR", DateTimeOffset.UtcNow)));
        Assert.Equal("MUG-1", GroupOf(new ProductDiscontinued("MUG-1", DateTimeOffset.UtcNow)));
    }

    private static MessageGrouping Declared()
    {
        var grouping = new MessageGrouping();
        foreach (var module in ModuleCatalog.All)
        {
            module.GroupMessages(grouping);
        }

        return grouping;
    }

    private static string? GroupOf(object message) =>
        Grouping.TryFindIdentity(new Envelope(message), out var group) ? group : null;
}
