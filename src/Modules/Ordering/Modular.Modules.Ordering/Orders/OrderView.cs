using JasperFx.Events;
using Modular.Modules.Ordering.Contracts;

namespace Modular.Modules.Ordering.Orders;

/// <param name="By">On whose behalf it happened: the caller whose request led to it (a customer, or staff).</param>
public sealed record TimelineEntry(DateTimeOffset At, string Event, string? Detail, string? By);

/// <summary>What the HTTP API shows of an order: its state, lines, total, and the timeline of what happened. Never the payment token.</summary>
/// <param name="TraceId">
/// The OpenTelemetry trace of the request that placed the order, which every message it led to continues: where an
/// operator finds the order's path through the modules (docs/adr/0024). Null for orders placed before it was recorded.
/// </param>
public sealed record OrderView(
    Guid Id, string CustomerId, OrderStatus Status, IReadOnlyList<OrderLineView> Lines, decimal Total, string Currency,
    DateTimeOffset PlacedAt, string? RejectionReason, IReadOnlyList<TimelineEntry> Timeline, string? TraceId)
{
    public static string UrlFor(Guid orderId) => $"/api/v1/orders/{orderId}";

    public static OrderView From(Order order, IReadOnlyList<IEvent> stream) => new(
        order.Id, order.CustomerId, order.Status,
        order.Lines.Select(l => new OrderLineView(l.Sku, l.Name, l.Quantity, l.UnitPrice, l.LineTotal)).ToList(),
        order.Total, order.Currency, order.PlacedAt, order.RejectionReason,
        stream.Select(Entry).ToList(),
        stream.Count > 0 ? TraceIdOf(stream[0].CorrelationId) : null);

    /// <summary>
    /// Wolverine's correlation id is the trace id of the request that began the work (a W3C trace id: 32 hex digits),
    /// or a Guid where no trace was running; only the first leads anywhere.
    /// </summary>
    private static string? TraceIdOf(string? correlationId) =>
        correlationId is { Length: 32 } && correlationId.All(char.IsAsciiHexDigitLower) ? correlationId : null;

    private static TimelineEntry Entry(IEvent recorded)
    {
        var (name, detail) = Describe(recorded.Data);
        return new TimelineEntry(recorded.Timestamp, name, detail, recorded.UserName);
    }

    private static (string Event, string? Detail) Describe(object data) => data switch
    {
        OrderPlaced placed => ("Placed", $"{placed.Lines.Count} line(s), {placed.Total} {placed.Currency}"),
        OrderStockReserved => ("StockReserved", null),
        OrderStockRejected rejected => ("StockRejected", string.Join("; ", rejected.Reasons)),
        OrderPaymentAuthorized authorized => ("PaymentAuthorized", $"{authorized.Amount} {authorized.Currency}, authorisation {authorized.AuthorizationId}"),
        OrderPaymentDeclined declined => ("PaymentDeclined", declined.Reason),
        OrderPaymentMismatched mismatched => ("PaymentMismatched", mismatched.Reason),
        OrderDeadlinePassed passed => ("DeadlinePassed", passed.Reason),
        OrderCompensationResent resent => ("CompensationResent", string.Join(", ", resent.Requests)),
        OrderConfirmed => ("Confirmed", null),
        OrderCancellationRequested => ("CancellationRequested", null),
        OrderStockReleased => ("StockReleased", null),
        OrderPaymentRefunded refunded => ("PaymentRefunded", refunded.Amount == 0 ? "nothing had been taken" : $"{refunded.Amount} {refunded.Currency}"),
        OrderRejected rejected => ("Rejected", rejected.Reason),
        OrderCancelled => ("Cancelled", null),
        OrderExpired expired => ("Expired", expired.Reason),
        OrderShipped shipped => ("Shipped", $"tracking reference {shipped.TrackingReference}"),
        OrderDelivered => ("Delivered", null),
        _ => (data.GetType().Name, null),
    };
}

public sealed record OrderLineView(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);
