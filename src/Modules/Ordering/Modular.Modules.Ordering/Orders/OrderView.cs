using JasperFx.Events;
using Modular.Modules.Ordering.Contracts;

namespace Modular.Modules.Ordering.Orders;

public sealed record TimelineEntry(DateTimeOffset At, string Event, string? Detail);

/// <summary>What the HTTP API shows of an order: its state, lines, total, and the timeline of what happened. Never the payment token.</summary>
public sealed record OrderView(
    Guid Id, string CustomerId, OrderStatus Status, IReadOnlyList<OrderLineView> Lines, decimal Total, string Currency,
    DateTimeOffset PlacedAt, string? RejectionReason, IReadOnlyList<TimelineEntry> Timeline)
{
    public static string UrlFor(Guid orderId) => $"/api/orders/{orderId}";

    public static OrderView From(Order order, IReadOnlyList<IEvent> stream) => new(
        order.Id, order.CustomerId, order.Status,
        order.Lines.Select(l => new OrderLineView(l.Sku, l.Name, l.Quantity, l.UnitPrice, l.LineTotal)).ToList(),
        order.Total, order.Currency, order.PlacedAt, order.RejectionReason,
        stream.Select(e => Describe(e.Timestamp, e.Data)).ToList());

    private static TimelineEntry Describe(DateTimeOffset at, object data) => data switch
    {
        OrderPlaced placed => new(at, "Placed", $"{placed.Lines.Count} line(s), {placed.Total} {placed.Currency}"),
        OrderStockReserved => new(at, "StockReserved", null),
        OrderStockRejected rejected => new(at, "StockRejected", string.Join("; ", rejected.Reasons)),
        OrderPaymentAuthorized authorized => new(at, "PaymentAuthorized", $"{authorized.Amount} {authorized.Currency}, authorisation {authorized.AuthorizationId}"),
        OrderPaymentDeclined declined => new(at, "PaymentDeclined", declined.Reason),
        OrderPaymentMismatched mismatched => new(at, "PaymentMismatched", mismatched.Reason),
        OrderDeadlinePassed passed => new(at, "DeadlinePassed", passed.Reason),
        OrderCompensationResent resent => new(at, "CompensationResent", string.Join(", ", resent.Requests)),
        OrderConfirmed => new(at, "Confirmed", null),
        OrderCancellationRequested => new(at, "CancellationRequested", null),
        OrderStockReleased => new(at, "StockReleased", null),
        OrderPaymentRefunded refunded => new(at, "PaymentRefunded", refunded.Amount == 0 ? "nothing had been taken" : $"{refunded.Amount} {refunded.Currency}"),
        OrderRejected rejected => new(at, "Rejected", rejected.Reason),
        OrderCancelled => new(at, "Cancelled", null),
        OrderExpired expired => new(at, "Expired", expired.Reason),
        _ => new(at, data.GetType().Name, null),
    };
}

public sealed record OrderLineView(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);
