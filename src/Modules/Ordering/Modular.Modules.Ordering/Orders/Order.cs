using System.Text.Json.Serialization;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Payments.Contracts;

namespace Modular.Modules.Ordering.Orders;

public enum OrderStatus
{
    /// <summary>Waiting for Inventory to reserve the lines.</summary>
    Placed,

    /// <summary>Stock is held; waiting for Payments to authorise the total.</summary>
    StockReserved,

    /// <summary>Stock held and payment authorised.</summary>
    Confirmed,

    /// <summary>Payment was declined; waiting for the held stock to be released.</summary>
    Rejecting,

    Rejected,

    /// <summary>Cancelled by the customer; waiting for stock to be released and payment refunded.</summary>
    Cancelling,

    Cancelled,
}

/// <summary>
/// An order and the process that fulfils it, rebuilt from its event stream. Each decision takes the order's state
/// and what just happened, and returns what to record and what to send. A message that does not fit the state
/// (a second delivery, or news that arrives after the order moved on) decides nothing.
/// </summary>
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

    [JsonInclude]
    public string PaymentToken { get; private set; } = "";

    [JsonInclude]
    public OrderStatus Status { get; private set; }

    [JsonInclude]
    public DateTimeOffset PlacedAt { get; private set; }

    [JsonInclude]
    public string? RejectionReason { get; private set; }

    [JsonInclude]
    public bool StockReleased { get; private set; }

    [JsonInclude]
    public bool PaymentAuthorized { get; private set; }

    [JsonInclude]
    public bool PaymentRefunded { get; private set; }

    public bool CanBeCancelled => Status is OrderStatus.Placed or OrderStatus.StockReserved or OrderStatus.Confirmed;

    public bool IsCancelledOrCancelling => Status is OrderStatus.Cancelling or OrderStatus.Cancelled;

    public static (OrderPlaced Placed, ReserveStock Reserve) Place(
        Guid orderId, string customerId, IReadOnlyList<OrderLine> lines, string currency, string paymentToken, DateTimeOffset now)
    {
        var placed = new OrderPlaced(orderId, customerId, lines, lines.Sum(l => l.LineTotal), currency, paymentToken, now);
        return (placed, new ReserveStock(orderId, lines.Select(l => new ReserveStock.Line(l.Sku, l.Quantity)).ToList()));
    }

    public OrderDecision OnStockReserved() => Status == OrderStatus.Placed
        ? new([new OrderStockReserved(Id)], [new AuthorizePayment(Id, Total, Currency, PaymentToken)])
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

    public OrderDecision OnPaymentAuthorized(PaymentAuthorized authorized, DateTimeOffset now)
    {
        var recorded = new OrderPaymentAuthorized(Id, authorized.AuthorizationId, authorized.Amount, authorized.Currency);
        if (Status == OrderStatus.StockReserved)
        {
            var ending = new OrderConfirmed(Id, CustomerId, Total, Currency, now);
            return new([recorded, ending], [ending]);
        }

        // Cancelled while the authorisation was on its way: the refund already requested gives it back.
        return IsCancelledOrCancelling && !PaymentAuthorized ? new([recorded], []) : OrderDecision.None;
    }

    public OrderDecision OnPaymentDeclined(PaymentDeclined declined) => Status == OrderStatus.StockReserved
        ? new([new OrderPaymentDeclined(Id, declined.Reason)], [new ReleaseStock(Id)])
        : OrderDecision.None;

    public OrderDecision OnStockReleased(DateTimeOffset now)
    {
        if (Status == OrderStatus.Rejecting)
        {
            var ending = new OrderRejected(Id, CustomerId, RejectionReason ?? "Payment declined.", now);
            return new([new OrderStockReleased(Id), ending], [ending]);
        }

        return Status == OrderStatus.Cancelling && !StockReleased
            ? CompleteCancellation(new OrderStockReleased(Id), stockReleased: true, paymentRefunded: PaymentRefunded, now)
            : OrderDecision.None;
    }

    public OrderDecision OnPaymentRefunded(PaymentRefunded refunded, DateTimeOffset now) =>
        Status == OrderStatus.Cancelling && !PaymentRefunded
            ? CompleteCancellation(new OrderPaymentRefunded(Id, refunded.Amount, refunded.Currency), stockReleased: StockReleased, paymentRefunded: true, now)
            : OrderDecision.None;

    /// <summary>
    /// Asks Inventory to release and Payments to refund at once, whatever they have done so far: each answers even
    /// when it holds nothing, and refuses a reservation or authorisation that arrives after the cancellation.
    /// </summary>
    public OrderDecision Cancel()
    {
        if (IsCancelledOrCancelling)
        {
            return OrderDecision.None;
        }

        if (!CanBeCancelled)
        {
            throw new InvalidOperationException($"Order {Id} is {Status} and can no longer be cancelled.");
        }

        return new([new OrderCancellationRequested(Id)], [new ReleaseStock(Id), new RefundPayment(Id)]);
    }

    /// <summary>Records what was just settled, and ends the cancellation once stock and payment both are.</summary>
    private OrderDecision CompleteCancellation(object settled, bool stockReleased, bool paymentRefunded, DateTimeOffset now)
    {
        if (!stockReleased || !paymentRefunded)
        {
            return new([settled], []);
        }

        var ending = new OrderCancelled(Id, CustomerId, now);
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
        PlacedAt = placed.PlacedAt;
        Status = OrderStatus.Placed;
    }

    public void Apply(OrderStockReserved _) => Status = OrderStatus.StockReserved;

    public void Apply(OrderPaymentAuthorized _) => PaymentAuthorized = true;

    public void Apply(OrderPaymentDeclined declined)
    {
        Status = OrderStatus.Rejecting;
        RejectionReason = "Payment declined: " + declined.Reason;
    }

    public void Apply(OrderConfirmed _) => Status = OrderStatus.Confirmed;

    public void Apply(OrderRejected rejected)
    {
        Status = OrderStatus.Rejected;
        RejectionReason = rejected.Reason;
    }

    public void Apply(OrderCancellationRequested _) => Status = OrderStatus.Cancelling;

    public void Apply(OrderStockReleased _) => StockReleased = true;

    public void Apply(OrderPaymentRefunded _) => PaymentRefunded = true;

    public void Apply(OrderCancelled _) => Status = OrderStatus.Cancelled;
}
