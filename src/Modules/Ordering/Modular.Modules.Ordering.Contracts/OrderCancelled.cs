namespace Modular.Modules.Ordering.Contracts;

/// <summary>The customer cancelled; stock is released and any payment refunded.</summary>
public sealed record OrderCancelled(Guid OrderId, string CustomerId, DateTimeOffset CancelledAt);
