namespace Modular.Modules.Ordering.Contracts;

/// <summary>The order could not be fulfilled; nothing is held and nothing is charged.</summary>
public sealed record OrderRejected(Guid OrderId, string CustomerId, string Reason, DateTimeOffset RejectedAt);
