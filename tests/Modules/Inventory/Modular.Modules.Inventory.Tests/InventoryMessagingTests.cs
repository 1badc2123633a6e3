using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Inventory.Reservations;
using Modular.Testing;
using Wolverine;
using Wolverine.Tracking;

namespace Modular.Modules.Inventory.Tests;

/// <summary>Inventory alone, driven by its messages; what it emits is what Ordering would receive.</summary>
public sealed class InventoryMessagingTests(InventoryHost inventory) : IClassFixture<InventoryHost>
{
    [Fact]
    public async Task Reserving_available_stock_answers_StockReserved_and_holds_the_units()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 5);
        var orderId = Guid.NewGuid();

        var tracked = await inventory.SendAsync(new ReserveStock(orderId, [new(sku, 3)]));

        var reserved = Assert.Single(tracked.Emitted<StockReserved>());
        Assert.Equal((orderId, sku, 3), (reserved.OrderId, reserved.Lines.Single().Sku, reserved.Lines.Single().Quantity));
        Assert.Equal((5, 3, 2), await StockAsync(sku));
    }

    [Fact]
    public async Task Reserving_more_than_available_answers_StockReservationRejected_and_holds_nothing()
    {
        var plenty = await inventory.StockedSkuAsync(onHand: 10);
        var scarce = await inventory.StockedSkuAsync(onHand: 1);

        var tracked = await inventory.SendAsync(new ReserveStock(Guid.NewGuid(), [new(plenty, 2), new(scarce, 2)]));

        var rejection = Assert.Single(Assert.Single(tracked.Emitted<StockReservationRejected>()).Rejections);
        Assert.Equal((scarce, 2, 1, "insufficient stock"), (rejection.Sku, rejection.Requested, rejection.Available, rejection.Reason));
        Assert.Equal((10, 0, 10), await StockAsync(plenty));
        Assert.Empty(tracked.Emitted<StockReserved>());
    }

    [Fact]
    public async Task A_reservation_with_a_negative_quantity_is_dead_lettered_and_changes_no_stock()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 5);
        await inventory.SendAsync(new ReserveStock(Guid.NewGuid(), [new(sku, 2)]));
        var orderId = Guid.NewGuid();

        // Tracked, so that its failure stays in this test and does not fail the next one's tracked session.
        await inventory.Host.Tracked().DoNotAssertOnExceptionsDetected()
            .PublishMessageAndWaitAsync(new ReserveStock(orderId, [new(sku, -3)]));

        await Eventually.Get(() => Sql.CountAsync(inventory.ConnectionString,
                "select count(*) from wolverine.wolverine_dead_letters where message_type like '%ReserveStock' and exception_type like '%ValidationException'"),
            n => n == 1, "the invalid reservation to be dead-lettered");
        Assert.Equal((5, 2, 3), await StockAsync(sku));
    }

    [Fact]
    public async Task A_reservation_delivered_twice_holds_stock_once_and_answers_once()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 5);
        var command = new ReserveStock(Guid.NewGuid(), [new(sku, 2)]);

        await inventory.SendAsync(command);
        var again = await inventory.SendAsync(command);

        Assert.Empty(again.Emitted<object>());
        Assert.Equal((5, 2, 3), await StockAsync(sku));
    }

    [Fact]
    public async Task Releasing_gives_the_units_back_and_answers_StockReleased_with_the_lines()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 5);
        var orderId = Guid.NewGuid();
        await inventory.SendAsync(new ReserveStock(orderId, [new(sku, 4)]));

        var tracked = await inventory.SendAsync(new ReleaseStock(orderId));

        Assert.Equal([new(sku, 4)], Assert.Single(tracked.Emitted<StockReleased>()).Lines);
        Assert.Equal((5, 0, 5), await StockAsync(sku));
    }

    [Fact]
    public async Task A_release_that_overtakes_its_reservation_leaves_nothing_held()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 5);
        var orderId = Guid.NewGuid();

        var released = await inventory.SendAsync(new ReleaseStock(orderId));
        var reserved = await inventory.SendAsync(new ReserveStock(orderId, [new(sku, 4)]));

        Assert.Empty(Assert.Single(released.Emitted<StockReleased>()).Lines);
        Assert.Equal("order released before it was reserved",
            Assert.Single(Assert.Single(reserved.Emitted<StockReservationRejected>()).Rejections).Reason);
        Assert.Equal((5, 0, 5), await StockAsync(sku));
    }

    [Fact]
    public async Task A_discontinued_product_cannot_be_reserved()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 5);
        await inventory.SendAsync(new ProductDiscontinued(sku, DateTimeOffset.UtcNow));

        var tracked = await inventory.SendAsync(new ReserveStock(Guid.NewGuid(), [new(sku, 1)]));

        Assert.Equal("discontinued", Assert.Single(Assert.Single(tracked.Emitted<StockReservationRejected>()).Rejections).Reason);
    }

    [Fact]
    public async Task Many_orders_racing_for_few_units_never_oversell()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 10);
        var orders = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        var bus = inventory.Host.Host.MessageBus();

        // Published, not invoked: they queue in Inventory's durable inbox and are handled in parallel.
        await Task.WhenAll(orders.Select(id => bus.PublishAsync(new ReserveStock(id, [new(sku, 1)])).AsTask()));

        var reservations = await Eventually.Get(ReservationsAsync, r => r.Count == orders.Count, "a reservation for every order");
        Assert.Equal(10, reservations.Count(r => r.Status == ReservationStatus.Held));
        Assert.Equal(40, reservations.Count(r => r.Status == ReservationStatus.Rejected));
        Assert.Equal((10, 10, 0), await StockAsync(sku));

        async Task<IReadOnlyList<Reservation>> ReservationsAsync()
        {
            await using var session = inventory.Host.Services.GetRequiredService<IInventoryStore>().QuerySession();
            return await session.LoadManyAsync<Reservation>(orders);
        }
    }

    private async Task<(int OnHand, int Reserved, int Available)> StockAsync(string sku)
    {
        var stock = await inventory.Client.GetFromJsonAsync<JsonElement>($"/api/inventory/stock/{sku}");
        return (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32(), stock.GetProperty("available").GetInt32());
    }
}
