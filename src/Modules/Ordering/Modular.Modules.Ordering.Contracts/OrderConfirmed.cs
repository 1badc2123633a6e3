namespace Modular.Modules.Ordering.Contracts;

/// <summary>Stock is reserved and payment authorised: the order can be shipped.</summary>
public sealed record OrderConfirmed(Guid OrderId, string CustomerId, decimal Total, string Currency, DateTimeOffset ConfirmedAt);
