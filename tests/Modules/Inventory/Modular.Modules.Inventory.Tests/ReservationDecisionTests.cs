using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Inventory.Reservations;
using Modular.Modules.Inventory.Stock;

namespace Modular.Modules.Inventory.Tests;

/// <summary>The reservation rules as pure functions over stock items, without a host or a database.</summary>
public sealed class ReservationDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid OrderId = Guid.NewGuid();

    [Fact]
    public void Reserving_lines_that_are_all_available_holds_every_line()
    {
        var stock = Stock(("MUG", 5), ("CUP", 2));

        var (reservation, changed, answer) = Reservation.Reserve(Command(("MUG", 3), ("CUP", 2)), stock, Now);

        var reserved = Assert.IsType<StockReserved>(answer);
        Assert.Equal([new("MUG", 3), new("CUP", 2)], reserved.Lines);
        Assert.Equal(ReservationStatus.Held, reservation.Status);
        Assert.Equal([2, 0], new[] { stock["MUG"].Available, stock["CUP"].Available });
        Assert.Equal(2, changed.Count);
    }

    [Fact]
    public void One_line_short_of_stock_reserves_nothing_and_names_that_line()
    {
        var stock = Stock(("MUG", 5), ("CUP", 1));

        var (reservation, changed, answer) = Reservation.Reserve(Command(("MUG", 3), ("CUP", 2)), stock, Now);

        var rejected = Assert.IsType<StockReservationRejected>(answer);
        Assert.Equal([new StockReservationRejected.Rejection("CUP", 2, 1, "insufficient stock")], rejected.Rejections);
        Assert.Equal(ReservationStatus.Rejected, reservation.Status);
        Assert.Empty(changed);
        Assert.Equal([0, 0], new[] { stock["MUG"].Reserved, stock["CUP"].Reserved });
    }

    [Fact]
    public void A_SKU_named_twice_is_reserved_as_its_sum()
    {
        var stock = Stock(("MUG", 3));

        var (_, _, answer) = Reservation.Reserve(Command(("MUG", 2), ("MUG", 2)), stock, Now);

        Assert.Equal(4, Assert.Single(Assert.IsType<StockReservationRejected>(answer).Rejections).Requested);
        Assert.Equal(0, stock["MUG"].Reserved);
    }

    [Fact]
    public void Unknown_and_discontinued_SKUs_are_rejected_with_their_reason()
    {
        var stock = Stock(("OLD", 10));
        stock["OLD"].Discontinue();

        var (_, _, answer) = Reservation.Reserve(Command(("OLD", 1), ("NEW", 1)), stock, Now);

        Assert.Equal(["discontinued", "unknown SKU"], Assert.IsType<StockReservationRejected>(answer).Rejections.Select(r => r.Reason));
    }

    [Fact]
    public void Releasing_a_held_reservation_makes_its_stock_available_again_once()
    {
        var stock = Stock(("MUG", 5));
        var (reservation, _, _) = Reservation.Reserve(Command(("MUG", 5)), stock, Now);

        var first = reservation.Release(stock);
        var second = reservation.Release(stock);

        Assert.Single(first);
        Assert.Empty(second);
        Assert.Equal(5, stock["MUG"].Available);
        Assert.Equal(ReservationStatus.Released, reservation.Status);
    }

    [Fact]
    public void Stock_refuses_to_reserve_more_than_is_available()
    {
        var item = StockItem.For("MUG");
        item.Receive(1);

        Assert.Throws<InvalidOperationException>(() => item.Reserve(2));
        Assert.Equal("insufficient stock", item.CannotReserve(2));
    }

    private static ReserveStock Command(params (string Sku, int Quantity)[] lines) =>
        new(OrderId, lines.Select(l => new ReserveStock.Line(l.Sku, l.Quantity)).ToList());

    private static Dictionary<string, StockItem> Stock(params (string Sku, int OnHand)[] items) =>
        items.ToDictionary(i => i.Sku, i =>
        {
            var item = StockItem.For(i.Sku);
            item.Receive(i.OnHand);
            return item;
        });
}
