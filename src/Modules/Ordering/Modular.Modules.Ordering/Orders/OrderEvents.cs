namespace Modular.Modules.Ordering.Orders;

// What happened to an order, as its event stream records it. The three endings (OrderConfirmed, OrderRejected,
// OrderCancelled) are the Contracts events Ordering publishes: the stream keeps the very fact it told other modules.

public sealed record OrderLine(string Sku, string Name, int Quantity, decimal UnitPrice)
{
    public decimal LineTotal => Quantity * UnitPrice;
}

/// <summary>The customer placed the order; prices are those of Ordering's price list at that moment.</summary>
public sealed record OrderPlaced(Guid OrderId, string CustomerId, IReadOnlyList<OrderLine> Lines, decimal Total, string Currency,
    string PaymentToken, DateTimeOffset PlacedAt);

public sealed record OrderStockReserved(Guid OrderId);

public sealed record OrderStockRejected(Guid OrderId, IReadOnlyList<string> Reasons);

public sealed record OrderPaymentAuthorized(Guid OrderId, string AuthorizationId, decimal Amount, string Currency);

public sealed record OrderPaymentDeclined(Guid OrderId, string Reason);

public sealed record OrderCancellationRequested(Guid OrderId);

public sealed record OrderStockReleased(Guid OrderId);

public sealed record OrderPaymentRefunded(Guid OrderId, decimal Amount, string Currency);
