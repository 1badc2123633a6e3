using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Ordering.Orders;
using Modular.Modules.Payments.Contracts;

namespace Modular.Modules.Ordering.Tests;

/// <summary>The order's process as pure functions: a state, what happened, and what the order records and sends.</summary>
public sealed class OrderDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.NewGuid();

    [Fact]
    public void Placing_an_order_records_its_lines_and_total_and_asks_Inventory_to_reserve_them()
    {
        var (placed, reserve) = Order.Place(Id, "alice", [new("MUG", "Mug", 2, 12.50m), new("CUP", "Cup", 3, 1.10m)], "EUR", "tok_visa", Now);

        Assert.Equal(28.30m, placed.Total);
        Assert.Equal(Id, reserve.OrderId);
        Assert.Equal([new("MUG", 2), new("CUP", 3)], reserve.Lines);
    }

    [Fact]
    public void Reserved_stock_asks_Payments_to_authorise_the_total()
    {
        var decision = Given().OnStockReserved();

        Assert.Equal([new OrderStockReserved(Id)], decision.Events);
        Assert.Equal([new AuthorizePayment(Id, 25m, "EUR", "tok_visa")], decision.Messages);
    }

    [Fact]
    public void An_authorised_payment_confirms_the_order_and_publishes_OrderConfirmed()
    {
        var decision = Given(new OrderStockReserved(Id)).OnPaymentAuthorized(new PaymentAuthorized(Id, "auth", 25m, "EUR", Now), Now);

        var confirmed = new OrderConfirmed(Id, "alice", 25m, "EUR", Now);
        Assert.Equal([new OrderPaymentAuthorized(Id, "auth", 25m, "EUR"), confirmed], decision.Events);
        Assert.Equal([confirmed], decision.Messages);
    }

    [Fact]
    public void Rejected_stock_rejects_the_order_with_the_reason_per_line()
    {
        var rejected = new StockReservationRejected(Id, [new("MUG", 2, 1, "insufficient stock")], Now);

        var decision = Given().OnStockRejected(rejected, Now);

        var ending = Assert.Single(decision.Messages.OfType<OrderRejected>());
        Assert.Equal("Stock could not be reserved: MUG: insufficient stock (requested 2, available 1)", ending.Reason);
        Assert.Empty(decision.Messages.OfType<ReleaseStock>());
    }

    [Fact]
    public void A_declined_payment_releases_the_stock_and_rejects_the_order_only_once_it_is_released()
    {
        var declined = Given(new OrderStockReserved(Id)).OnPaymentDeclined(new PaymentDeclined(Id, "no funds", Now));
        Assert.Equal([new ReleaseStock(Id)], declined.Messages);

        var released = Given(new OrderStockReserved(Id), new OrderPaymentDeclined(Id, "no funds")).OnStockReleased(Now);

        Assert.Equal("Payment declined: no funds", Assert.Single(released.Messages.OfType<OrderRejected>()).Reason);
    }

    [Fact]
    public void Cancelling_asks_for_the_stock_back_and_a_refund_at_once()
    {
        var decision = Given(new OrderStockReserved(Id), new OrderPaymentAuthorized(Id, "auth", 25m, "EUR"), new OrderConfirmed(Id, "alice", 25m, "EUR", Now)).Cancel();

        Assert.Equal([new OrderCancellationRequested(Id)], decision.Events);
        Assert.Equal([new ReleaseStock(Id), new RefundPayment(Id)], decision.Messages);
    }

    [Fact]
    public void A_cancellation_completes_when_both_the_stock_and_the_payment_are_settled_in_either_order()
    {
        var cancelling = Given(new OrderCancellationRequested(Id));

        var afterRelease = cancelling.OnStockReleased(Now);
        var afterBoth = Given(new OrderCancellationRequested(Id), new OrderStockReleased(Id)).OnPaymentRefunded(new PaymentRefunded(Id, 25m, "EUR", Now), Now);

        Assert.Empty(afterRelease.Messages);
        Assert.Equal([new OrderCancelled(Id, "alice", Now)], afterBoth.Messages);
    }

    [Fact]
    public void News_that_arrives_after_a_cancellation_starts_nothing()
    {
        var cancelling = Given(new OrderCancellationRequested(Id));

        Assert.Same(OrderDecision.None, cancelling.OnStockReserved());
        Assert.Empty(cancelling.OnStockRejected(new StockReservationRejected(Id, [], Now), Now).Messages);
        Assert.Empty(cancelling.OnPaymentDeclined(new PaymentDeclined(Id, "late", Now)).Messages);
        Assert.Empty(cancelling.OnPaymentAuthorized(new PaymentAuthorized(Id, "auth", 25m, "EUR", Now), Now).Messages);
    }

    [Fact]
    public void The_same_answer_delivered_twice_decides_nothing_the_second_time()
    {
        var reserved = Given(new OrderStockReserved(Id));

        Assert.Same(OrderDecision.None, reserved.OnStockReserved());
    }

    [Fact]
    public void A_rejected_order_cannot_be_cancelled_and_a_cancelled_one_is_cancelled_again_without_effect()
    {
        var rejected = Given(new OrderRejected(Id, "alice", "no stock", Now));
        var cancelling = Given(new OrderCancellationRequested(Id));

        Assert.Throws<InvalidOperationException>(() => rejected.Cancel());
        Assert.Same(OrderDecision.None, cancelling.Cancel());
    }

    /// <summary>An order of 2 x 12.50 EUR, placed, with <paramref name="history"/> applied after.</summary>
    private static Order Given(params object[] history)
    {
        var order = new Order();
        order.Apply(new OrderPlaced(Id, "alice", [new("MUG", "Mug", 2, 12.50m)], 25m, "EUR", "tok_visa", Now));
        foreach (var e in history)
        {
            // As Marten does when it rebuilds the order from its stream.
            typeof(Order).GetMethod(nameof(Order.Apply), [e.GetType()])!.Invoke(order, [e]);
        }

        return order;
    }
}
