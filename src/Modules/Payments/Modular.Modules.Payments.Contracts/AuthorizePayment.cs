namespace Modular.Modules.Payments.Contracts;

/// <summary>
/// Authorise <paramref name="Amount"/> on the payment method behind <paramref name="PaymentToken"/>. Answered by
/// <see cref="PaymentAuthorized"/> or <see cref="PaymentDeclined"/>; one order is charged at most once.
/// </summary>
public sealed record AuthorizePayment(Guid OrderId, decimal Amount, string Currency, string PaymentToken);
