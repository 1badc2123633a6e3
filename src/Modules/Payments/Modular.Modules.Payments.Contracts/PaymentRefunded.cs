namespace Modular.Modules.Payments.Contracts;

/// <summary>The order's payment was given back; <paramref name="Amount"/> is 0, and <paramref name="Currency"/> empty, when none had been taken.</summary>
public sealed record PaymentRefunded(Guid OrderId, decimal Amount, string Currency, DateTimeOffset RefundedAt);
