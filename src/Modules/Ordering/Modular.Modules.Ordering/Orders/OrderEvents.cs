namespace Modular.Modules.Ordering.Orders;

// What happened to an order, as its event stream records it. The four endings (OrderConfirmed, OrderRejected,
// OrderCancelled, OrderExpired) are the Contracts events Ordering publishes: the stream keeps the very fact it told
// other modules.

public sealed record OrderLine(string Sku, string Name, int Quantity, decimal UnitPrice)
{
    public decimal LineTotal => Quantity * UnitPrice;
}

/// <summary>
/// The customer placed the order; prices are those of Ordering's price list at that moment. The payment token is sealed
/// for Payments (docs/adr/0023); only orders placed before that carry it in <paramref name="PaymentToken"/>, in plain text.
/// </summary>
public sealed record OrderPlaced(Guid OrderId, string CustomerId, IReadOnlyList<OrderLine> Lines, decimal Total, string Currency,
    string? PaymentToken, DateTimeOffset PlacedAt, string? SealedPaymentToken = null);

public sealed record OrderStockReserved(Guid OrderId);

public sealed record OrderStockRejected(Guid OrderId, IReadOnlyList<string> Reasons);

public sealed record OrderPaymentAuthorized(Guid OrderId, string AuthorizationId, decimal Amount, string Currency);

public sealed record OrderPaymentDeclined(Guid OrderId, string Reason);

/// <summary>Payments authorised another amount or currency than the order's total: the order is not confirmed on it.</summary>
public sealed record OrderPaymentMismatched(Guid OrderId, string Reason);

public sealed record OrderCancellationRequested(Guid OrderId);

public sealed record OrderStockReleased(Guid OrderId);

public sealed record OrderPaymentRefunded(Guid OrderId, decimal Amount, string Currency);

/// <summary>A deadline passed before the order reached an ending: it is being ended by compensation.</summary>
public sealed record OrderDeadlinePassed(Guid OrderId, OrderDeadline Deadline, string Reason);

/// <summary>
/// The overall deadline passed while the order was still waiting for its stock or payment to be given back: the requests
/// still unanswered were sent again (each is idempotent), in case the first ones were lost or dead-lettered.
/// </summary>
public sealed record OrderCompensationResent(Guid OrderId, IReadOnlyList<string> Requests);

/// <summary>Shipping dispatched the confirmed order; the carrier knows the parcel by <paramref name="TrackingReference"/>.</summary>
public sealed record OrderShipped(Guid OrderId, string TrackingReference, DateTimeOffset ShippedAt);

public sealed record OrderDelivered(Guid OrderId, DateTimeOffset DeliveredAt);
