namespace Modular.Modules.Ordering.Contracts;

/// <summary>
/// The order did not reach an ending in time (a deadline passed while it waited for stock or payment) and was ended by
/// compensation: its stock is released and any payment voided or refunded. <paramref name="Reason"/> names the deadline.
/// </summary>
public sealed record OrderExpired(Guid OrderId, string CustomerId, string Reason, DateTimeOffset ExpiredAt);
