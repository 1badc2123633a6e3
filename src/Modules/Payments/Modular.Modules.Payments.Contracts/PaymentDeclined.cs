namespace Modular.Modules.Payments.Contracts;

/// <summary>The provider refused the payment; <paramref name="Reason"/> is its answer. Not retried.</summary>
public sealed record PaymentDeclined(Guid OrderId, string Reason, DateTimeOffset DeclinedAt);
