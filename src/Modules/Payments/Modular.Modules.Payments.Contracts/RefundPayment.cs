namespace Modular.Modules.Payments.Contracts;

/// <summary>Give back an order's authorised payment. Answered by <see cref="PaymentRefunded"/>.</summary>
public sealed record RefundPayment(Guid OrderId);
