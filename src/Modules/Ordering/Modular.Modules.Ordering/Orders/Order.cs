using System.Text.Json.Serialization;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Shipping.Contracts;

namespace Modular.Modules.Ordering.Orders;

public enum OrderStatus
{
    /// <summary>Waiting for Inventory to reserve the lines.</summary>
    Placed,

    /// <summary>Stock is held; waiting for Payments to authorise the total.</summary>
    StockReserved,

    /// <summary>Stock held and payment authorised.</summary>
    Confirmed,

    /// <summary>Payment was declined or did not match the total; waiting for the stock (and any payment) to be given back.</summary>
    Rejecting,

    Rejected,

    /// <summary>Cancelled by the customer; waiting for stock to be released and payment refunded.</summary>
    Cancelling,

    Cancelled,

    // Appended, not inserted: the snapshot stores a status as its number.

    /// <summary>A deadline passed before the order reached an ending; waiting for stock and payment to be given back.</summary>
    Expiring,

    /// <summary>Ended by its deadline: nothing is held and nothing is charged.</summary>
    Expired,

    /// <summary>Confirmed, and on its way to the customer: it can no longer be cancelled.</summary>
    Shipped,

    Delivered,
}

/// <summary>Which of an order's two deadlines passed. See <see cref="Fulfilment.OrderDeadlineHandler"/>.</summary>
public enum OrderDeadline
{
    /// <summary>The payment must be authorised this long after placing, or the order expires.</summary>
    Payment,

    /// <summary>The order must reach an ending this long after placing.</summary>
    Overall,
}

/// <summary>
/// An order and the process that fulfils it, rebuilt from its event stream. Each decision takes the order's state
/// and what just happened, and returns what to record and what to send. A message that does not fit the state
/// (a second delivery, or news that arrives after the order moved on) decides nothing.
/// </summary>
/// <remarks>
/// Every order ends: Confirmed, Rejected, Cancelled or Expired. An order that is not Confirmed gives back what it holds
/// before it ends (it is Rejecting, Cancelling or Expiring meanwhile), and its deadlines end an order that waits too long.
/// A Confirmed order goes on to Shipped and Delivered as Shipping reports it; it is final all the while.
/// </remarks>
public sealed class Order
{
    public Guid Id { get; set; }

    [JsonInclude]
    public string CustomerId { get; private set; } = "";

    [JsonInclude]
    public IReadOnlyList<OrderLine> Lines { get; private set; } = [];

    [JsonInclude]
    public decimal Total { get; private set; }

    [JsonInclude]
    public string Currency { get; private set; } = "";

    /// <summary>Only in orders placed before docs/adr/0023: the plain token.</summary>
    [JsonInclude]
    public string? PaymentToken { get; private set; }

    /// <summary>The token sealed for Payments, which Ordering cannot open; kept until it is handed on with the payment request.</summary>
    [JsonInclude]
    public string? SealedPaymentToken { get; private set; }

    [JsonInclude]
    public OrderStatus Status { get; private set; }

    [JsonInclude]
    public DateTimeOffset PlacedAt { get; private set; }

    /// <summary>Why the order was rejected or expired.</summary>
    [JsonInclude]
    public string? RejectionReason { get; private set; }

    [JsonInclude]
    public bool StockReleased { get; private set; }

    [JsonInclude]
    public bool PaymentAuthorized { get; private set; }

    /// <summary>A refund was asked for while unwinding: the order ends only once Payments has answered it.</summary>
    [JsonInclude]
    public bool RefundRequested { get; private set; }

    [JsonInclude]
    public bool PaymentRefunded { get; private set; }

    public bool IsFinal => Status is OrderStatus.Confirmed or OrderStatus.Rejected or OrderStatus.Cancelled or OrderStatus.Expired
        or OrderStatus.Shipped or OrderStatus.Delivered;

    /// <summary>Giving back what it holds before it ends.</summary>
    public bool IsUnwinding => Status is OrderStatus.Rejecting or OrderStatus.Cancelling or OrderStatus.Expiring;

    public bool CanBeCancelled => Status is OrderStatus.Placed or OrderStatus.StockReserved or OrderStatus.Confirmed;

    public static (OrderPlaced Placed, ReserveStock Reserve) Place(
        Guid orderId, string customerId, IReadOnlyList<OrderLine> lines, string currency, string sealedPaymentToken, DateTimeOffset now)
    {
        var placed = new OrderPlaced(orderId, customerId, lines, lines.Sum(l => l.LineTotal), currency, null, now, sealedPaymentToken);
        return (placed, new ReserveStock(orderId, lines.Select(l => new ReserveStock.Line(l.Sku, l.Quantity)).ToList()));
    }

    public OrderDecision OnStockReserved() => Status == OrderStatus.Placed
        ? new([new OrderStockReserved(Id)], [new AuthorizePayment(Id, Total, Currency, PaymentToken, SealedPaymentToken)])
        : OrderDecision.None;

    public OrderDecision OnStockRejected(StockReservationRejected rejected, DateTimeOffset now)
    {
        if (Status != OrderStatus.Placed)
        {
            return OrderDecision.None;
        }

        var reasons = rejected.Rejections.Select(r => $"{r.Sku}: {r.Reason} (requested {r.Requested}, available {r.Available})").ToList();
        var ending = new OrderRejected(Id, CustomerId, "Stock could not be reserved: " + string.Join("; ", reasons), now);
        return new([new OrderStockRejected(Id, reasons), ending], [ending]);
    }

    /// <summary>
    /// Confirms the order when Payments authorised exactly its total; an authorisation of another amount or currency
    /// is given back and the order rejected, rather than shipping goods on a payment that does not cover them.
    /// </summary>
    public OrderDecision OnPaymentAuthorized(PaymentAuthorized authorized, DateTimeOffset now)
    {
        var recorded = new OrderPaymentAuthorized(Id, authorized.AuthorizationId, authorized.Amount, authorized.Currency);
        if (Status == OrderStatus.StockReserved)
        {
            if (authorized.Amount != Total || !string.Equals(authorized.Currency, Currency, StringComparison.Ordinal))
            {
                var reason = $"Payment authorised {authorized.Amount} {authorized.Currency} but the order totals {Total} {Currency}.";
                return new([recorded, new OrderPaymentMismatched(Id, reason)], [new ReleaseStock(Id), new RefundPayment(Id)]);
            }

            var ending = new OrderConfirmed(Id, CustomerId, Total, Currency, now);
            return new([recorded, ending], [ending]);
        }

        // Unwinding while the authorisation was on its way: the refund already requested gives it back.
        return IsUnwinding && RefundRequested && !PaymentAuthorized ? new([recorded], []) : OrderDecision.None;
    }

    public OrderDecision OnPaymentDeclined(PaymentDeclined declined) => Status == OrderStatus.StockReserved
        ? new([new OrderPaymentDeclined(Id, declined.Reason)], [new ReleaseStock(Id)])
        : OrderDecision.None;

    public OrderDecision OnStockReleased(DateTimeOffset now) =>
        IsUnwinding && !StockReleased
            ? Settle(new OrderStockReleased(Id), stockReleased: true, paymentRefunded: PaymentRefunded, now)
            : OrderDecision.None;

    public OrderDecision OnPaymentRefunded(PaymentRefunded refunded, DateTimeOffset now) =>
        IsUnwinding && RefundRequested && !PaymentRefunded
            ? Settle(new OrderPaymentRefunded(Id, refunded.Amount, refunded.Currency), stockReleased: StockReleased, paymentRefunded: true, now)
            : OrderDecision.None;

    /// <summary>
    /// Shipping dispatched the order. Only a Confirmed order moves on: Shipping cancels a shipment not yet dispatched when
    /// the order is cancelled, so news of a dispatch for an order that is not Confirmed is a second delivery.
    /// </summary>
    public OrderDecision OnShipmentDispatched(ShipmentDispatched dispatched) => Status == OrderStatus.Confirmed
        ? new([new OrderShipped(Id, dispatched.TrackingReference, dispatched.DispatchedAt)], [])
        : OrderDecision.None;

    public OrderDecision OnShipmentDelivered(ShipmentDelivered delivered) => Status == OrderStatus.Shipped
        ? new([new OrderDelivered(Id, delivered.DeliveredAt)], [])
        : OrderDecision.None;

    /// <summary>
    /// Asks Inventory to release and Payments to refund at once, whatever they have done so far: each answers even
    /// when it holds nothing, and refuses a reservation or authorisation that arrives after the cancellation.
    /// </summary>
    public OrderDecision Cancel()
    {
        if (Status == OrderStatus.Cancelling)
        {
            return OrderDecision.None;
        }

        if (!CanBeCancelled)
        {
            throw new InvalidOperationException($"Order {Id} is {Status} and can no longer be cancelled.");
        }

        return new([new OrderCancellationRequested(Id)], [new ReleaseStock(Id), new RefundPayment(Id)]);
    }

    /// <summary>
    /// A deadline passed. An order still waiting for stock or payment is ended by compensation, as a cancellation is;
    /// an order still giving back what it holds when the overall deadline passes asks again for what is unanswered
    /// (the first requests may have been lost or dead-lettered). An order that has ended ignores its deadlines.
    /// </summary>
    public OrderDecision OnDeadline(OrderDeadline deadline, TimeSpan after)
    {
        if (Status is OrderStatus.Placed or OrderStatus.StockReserved)
        {
            var waitingFor = Status == OrderStatus.Placed ? "its stock to be reserved" : "its payment to be authorised";
            var reason = $"The {deadline.ToString().ToLowerInvariant()} deadline ({after:c} after placing) passed while the order waited for {waitingFor}.";
            return new([new OrderDeadlinePassed(Id, deadline, reason)], [new ReleaseStock(Id), new RefundPayment(Id)]);
        }

        if (deadline != OrderDeadline.Overall || !IsUnwinding)
        {
            return OrderDecision.None;
        }

        var resend = new List<object>();
        if (!StockReleased)
        {
            resend.Add(new ReleaseStock(Id));
        }

        if (RefundRequested && !PaymentRefunded)
        {
            resend.Add(new RefundPayment(Id));
        }

        return resend.Count == 0
            ? OrderDecision.None
            : new([new OrderCompensationResent(Id, resend.Select(m => m.GetType().Name).ToList())], resend);
    }

    /// <summary>
    /// What the next of this order's deadlines will do, and when (<see cref="OnDeadline"/> decides it then); null when the
    /// order has ended, or when its deadlines have passed and nothing more will happen without an operator.
    /// </summary>
    public DeadlineAhead? NextDeadline(TimeSpan payment, TimeSpan overall, DateTimeOffset now)
    {
        if (Status is OrderStatus.Placed or OrderStatus.StockReserved)
        {
            // Either deadline ends a waiting order; the first still ahead is the one that will.
            var ahead = new[] { (Deadline: OrderDeadline.Payment, At: PlacedAt + payment), (Deadline: OrderDeadline.Overall, At: PlacedAt + overall) }
                .Where(d => d.At > now).OrderBy(d => d.At).ToList();
            return ahead.Count == 0
                ? null
                : new DeadlineAhead(ahead[0].Deadline, ahead[0].At,
                    "Ends the order by compensation: releases its stock and voids any payment authorisation; the order ends Expired.");
        }

        if (!IsUnwinding || PlacedAt + overall <= now)
        {
            return null;
        }

        return new DeadlineAhead(OrderDeadline.Overall, PlacedAt + overall,
            Unanswered() is { Count: > 0 } unanswered
                ? $"Sends again what is still unanswered: {string.Join(", ", unanswered)}."
                : "Nothing: everything asked for has been answered.");
    }

    /// <summary>The compensation requests of an unwinding order that have no answer yet.</summary>
    public IReadOnlyList<UnansweredRequest> Unanswered()
    {
        var unanswered = new List<UnansweredRequest>();
        if (IsUnwinding && !StockReleased)
        {
            unanswered.Add(new(nameof(ReleaseStock), "Inventory"));
        }

        if (IsUnwinding && RefundRequested && !PaymentRefunded)
        {
            unanswered.Add(new(nameof(RefundPayment), "Payments"));
        }

        return unanswered;
    }

    /// <summary>Records what was just given back, and ends the order once everything asked for has been.</summary>
    private OrderDecision Settle(object settled, bool stockReleased, bool paymentRefunded, DateTimeOffset now)
    {
        if (!stockReleased || (RefundRequested && !paymentRefunded))
        {
            return new([settled], []);
        }

        object ending = Status switch
        {
            OrderStatus.Rejecting => new OrderRejected(Id, CustomerId, RejectionReason ?? "Payment declined.", now),
            OrderStatus.Expiring => new OrderExpired(Id, CustomerId, RejectionReason ?? "A deadline passed.", now),
            _ => new OrderCancelled(Id, CustomerId, now),
        };
        return new([settled, ending], [ending]);
    }

    public void Apply(OrderPlaced placed)
    {
        Id = placed.OrderId;
        CustomerId = placed.CustomerId;
        Lines = placed.Lines;
        Total = placed.Total;
        Currency = placed.Currency;
        PaymentToken = placed.PaymentToken;
        SealedPaymentToken = placed.SealedPaymentToken;
        PlacedAt = placed.PlacedAt;
        Status = OrderStatus.Placed;
    }

    public void Apply(OrderStockReserved _)
    {
        Status = OrderStatus.StockReserved;
        // Handed on to Payments: the order is never asked to send it again.
        (PaymentToken, SealedPaymentToken) = (null, null);
    }

    public void Apply(OrderPaymentAuthorized _) => PaymentAuthorized = true;

    public void Apply(OrderPaymentDeclined declined)
    {
        Status = OrderStatus.Rejecting;
        RejectionReason = "Payment declined: " + declined.Reason;
    }

    public void Apply(OrderPaymentMismatched mismatched)
    {
        Status = OrderStatus.Rejecting;
        RefundRequested = true;
        RejectionReason = mismatched.Reason;
    }

    public void Apply(OrderDeadlinePassed passed)
    {
        Status = OrderStatus.Expiring;
        RefundRequested = true;
        RejectionReason = passed.Reason;
    }

    public void Apply(OrderExpired _) => Status = OrderStatus.Expired;

    public void Apply(OrderConfirmed _) => Status = OrderStatus.Confirmed;

    public void Apply(OrderRejected rejected)
    {
        Status = OrderStatus.Rejected;
        RejectionReason = rejected.Reason;
    }

    public void Apply(OrderCancellationRequested _)
    {
        Status = OrderStatus.Cancelling;
        RefundRequested = true;
    }

    public void Apply(OrderStockReleased _) => StockReleased = true;

    public void Apply(OrderPaymentRefunded _) => PaymentRefunded = true;

    public void Apply(OrderCancelled _) => Status = OrderStatus.Cancelled;

    public void Apply(OrderShipped _) => Status = OrderStatus.Shipped;

    public void Apply(OrderDelivered _) => Status = OrderStatus.Delivered;
}

/// <summary>An order's next deadline: which, when it comes, and what it will do to the order as it stands now.</summary>
public sealed record DeadlineAhead(OrderDeadline Deadline, DateTimeOffset At, string Action);

/// <summary>A request an unwinding order sent and has no answer to: the message, and the module that answers it.</summary>
public sealed record UnansweredRequest(string Message, string Module)
{
    public override string ToString() => $"{Message} ({Module})";
}
