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

    /// <summary>The order only carries the sealed token, whatever it holds.</summary>
    private const string SealedToken = "sb1.sealed-for-payments";

    [Fact]
    public void Placing_an_order_records_its_lines_and_total_and_asks_Inventory_to_reserve_them()
    {
        var (placed, reserve) = Order.Place(Id, "alice", [new("MUG", "Mug", 2, 12.50m), new("CUP", "Cup", 3, 1.10m)], "EUR", SealedToken, Now);

        Assert.Equal(28.30m, placed.Total);
        Assert.Equal(Id, reserve.OrderId);
        Assert.Equal([new("MUG", 2), new("CUP", 3)], reserve.Lines);
    }

    [Fact]
    public void Reserved_stock_asks_Payments_to_authorise_the_total_with_the_sealed_token()
    {
        var decision = Given().OnStockReserved();

        Assert.Equal([new OrderStockReserved(Id)], decision.Events);
        Assert.Equal([new AuthorizePayment(Id, 25m, "EUR", null, SealedToken)], decision.Messages);
        Assert.Null(Given(new OrderStockReserved(Id)).SealedPaymentToken);
    }

    [Fact]
    public void An_order_placed_before_tokens_were_sealed_hands_its_plain_token_on_as_it_was()
    {
        var order = new Order();
        order.Apply(new OrderPlaced(Id, "alice", [new("MUG", "Mug", 2, 12.50m)], 25m, "EUR", "tok_visa", Now));

        Assert.Equal([new AuthorizePayment(Id, 25m, "EUR", "tok_visa")], order.OnStockReserved().Messages);
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

    [Fact]
    public void An_order_being_rejected_or_expired_or_that_expired_cannot_be_cancelled()
    {
        Order[] ending =
        [
            Given(new OrderStockReserved(Id), new OrderPaymentDeclined(Id, "Card declined.")),
            Given(new OrderDeadlinePassed(Id, OrderDeadline.Payment, "The payment deadline passed.")),
            Given(new OrderDeadlinePassed(Id, OrderDeadline.Payment, "The payment deadline passed."), new OrderStockReleased(Id),
                new OrderPaymentRefunded(Id, 0m, ""), new OrderExpired(Id, "alice", "The payment deadline passed.", Now)),
        ];

        Assert.Equal([OrderStatus.Rejecting, OrderStatus.Expiring, OrderStatus.Expired], ending.Select(order => order.Status));
        Assert.All(ending, order => Assert.Contains(order.Status.ToString(), Assert.Throws<InvalidOperationException>(order.Cancel).Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_cancelled_order_cannot_be_cancelled_again()
    {
        var cancelled = Given(new OrderCancellationRequested(Id), new OrderStockReleased(Id), new OrderPaymentRefunded(Id, 0m, ""), new OrderCancelled(Id, "alice", Now));

        Assert.Throws<InvalidOperationException>(() => cancelled.Cancel());
    }

    [Fact]
    public void An_authorisation_of_another_amount_does_not_confirm_the_order_but_gives_back_stock_and_payment_then_rejects_it()
    {
        var reserved = Given(new OrderStockReserved(Id));

        var decision = reserved.OnPaymentAuthorized(new PaymentAuthorized(Id, "auth", 24.99m, "EUR", Now), Now);
        var otherCurrency = reserved.OnPaymentAuthorized(new PaymentAuthorized(Id, "auth", 25m, "USD", Now), Now);

        Assert.Empty(decision.Messages.OfType<OrderConfirmed>());
        Assert.Equal([new ReleaseStock(Id), new RefundPayment(Id)], decision.Messages);
        Assert.Equal([new ReleaseStock(Id), new RefundPayment(Id)], otherCurrency.Messages);
        var mismatched = Assert.IsType<OrderPaymentMismatched>(decision.Events[1]);
        var rejecting = Given([new OrderStockReserved(Id), .. decision.Events]);
        Assert.Empty(rejecting.OnStockReleased(Now).Messages);
        var ended = Given([new OrderStockReserved(Id), .. decision.Events, new OrderStockReleased(Id)])
            .OnPaymentRefunded(new PaymentRefunded(Id, 24.99m, "EUR", Now), Now);
        Assert.Equal(mismatched.Reason, Assert.Single(ended.Messages.OfType<OrderRejected>()).Reason);
    }

    [Theory]
    [InlineData(OrderDeadline.Payment)]
    [InlineData(OrderDeadline.Overall)]
    public void A_deadline_that_passes_while_the_order_waits_for_stock_or_payment_gives_both_back_then_expires_it(OrderDeadline deadline)
    {
        foreach (var order in new[] { Given(), Given(new OrderStockReserved(Id)) })
        {
            var decision = order.OnDeadline(deadline, TimeSpan.FromMinutes(1));

            var passed = Assert.IsType<OrderDeadlinePassed>(Assert.Single(decision.Events));
            Assert.Contains("00:01:00", passed.Reason, StringComparison.Ordinal);
            Assert.Equal([new ReleaseStock(Id), new RefundPayment(Id)], decision.Messages);
        }

        var expiring = Given(new OrderStockReserved(Id), new OrderDeadlinePassed(Id, deadline, "too slow"));
        Assert.Equal(OrderStatus.Expiring, expiring.Status);
        Assert.Empty(expiring.OnPaymentRefunded(new PaymentRefunded(Id, 0m, "", Now), Now).Messages);
        var ended = Given(new OrderStockReserved(Id), new OrderDeadlinePassed(Id, deadline, "too slow"), new OrderPaymentRefunded(Id, 0m, "")).OnStockReleased(Now);
        Assert.Equal([new OrderExpired(Id, "alice", "too slow", Now)], ended.Messages);
    }

    [Fact]
    public void An_order_that_has_ended_ignores_its_deadlines()
    {
        var confirmed = Given(new OrderStockReserved(Id), new OrderPaymentAuthorized(Id, "auth", 25m, "EUR"), new OrderConfirmed(Id, "alice", 25m, "EUR", Now));
        var rejected = Given(new OrderRejected(Id, "alice", "no stock", Now));

        Assert.Same(OrderDecision.None, confirmed.OnDeadline(OrderDeadline.Payment, TimeSpan.FromMinutes(1)));
        Assert.Same(OrderDecision.None, confirmed.OnDeadline(OrderDeadline.Overall, TimeSpan.FromMinutes(5)));
        Assert.Same(OrderDecision.None, rejected.OnDeadline(OrderDeadline.Overall, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void The_overall_deadline_asks_again_only_for_what_a_cancellation_still_waits_for()
    {
        var waitingForRefund = Given(new OrderStockReserved(Id), new OrderCancellationRequested(Id), new OrderStockReleased(Id));

        var decision = waitingForRefund.OnDeadline(OrderDeadline.Overall, TimeSpan.FromMinutes(5));

        Assert.Equal([new RefundPayment(Id)], decision.Messages);
        Assert.Equal(["RefundPayment"], Assert.IsType<OrderCompensationResent>(Assert.Single(decision.Events)).Requests);
        Assert.Same(OrderDecision.None, waitingForRefund.OnDeadline(OrderDeadline.Payment, TimeSpan.FromMinutes(1)));
    }

    /// <summary>An order of 2 x 12.50 EUR, placed, with <paramref name="history"/> applied after.</summary>
    [Fact]
    public void A_waiting_order_s_next_deadline_is_the_first_still_ahead_which_will_end_it()
    {
        var payment = TimeSpan.FromMinutes(1);
        var overall = TimeSpan.FromMinutes(5);

        var placed = Given().NextDeadline(payment, overall, Now);
        var reserved = Given(new OrderStockReserved(Id)).NextDeadline(payment, overall, Now + TimeSpan.FromMinutes(2));

        Assert.Equal((OrderDeadline.Payment, Now + payment), (placed!.Deadline, placed.At));
        Assert.Contains("releases its stock", placed.Action, StringComparison.Ordinal);
        // Its payment deadline passed without ending it (the message is held up): the overall one will.
        Assert.Equal((OrderDeadline.Overall, Now + overall), (reserved!.Deadline, reserved.At));
        Assert.Null(Given().NextDeadline(payment, overall, Now + overall));
    }

    [Fact]
    public void An_unwinding_order_s_next_deadline_sends_again_only_what_is_unanswered_and_none_is_left_after_it()
    {
        var payment = TimeSpan.FromMinutes(1);
        var overall = TimeSpan.FromMinutes(5);
        var cancelling = Given(new OrderPaymentAuthorized(Id, "auth_1", 25m, "EUR"), new OrderCancellationRequested(Id), new OrderStockReleased(Id));

        var next = cancelling.NextDeadline(payment, overall, Now + TimeSpan.FromMinutes(2));

        Assert.Equal((OrderDeadline.Overall, Now + overall), (next!.Deadline, next.At));
        Assert.Equal("Sends again what is still unanswered: RefundPayment (Payments).", next.Action);
        Assert.Equal(["RefundPayment (Payments)"], cancelling.Unanswered().Select(u => u.ToString()));
        Assert.Null(cancelling.NextDeadline(payment, overall, Now + overall));
        Assert.Null(Given(new OrderConfirmed(Id, "alice", 25m, "EUR", Now)).NextDeadline(payment, overall, Now));
    }

    private static Order Given(params object[] history)
    {
        var order = new Order();
        order.Apply(new OrderPlaced(Id, "alice", [new("MUG", "Mug", 2, 12.50m)], 25m, "EUR", null, Now, SealedToken));
        foreach (var e in history)
        {
            // As Marten does when it rebuilds the order from its stream: an event without an Apply changes no state.
            typeof(Order).GetMethod(nameof(Order.Apply), [e.GetType()])?.Invoke(order, [e]);
        }

        return order;
    }
}
