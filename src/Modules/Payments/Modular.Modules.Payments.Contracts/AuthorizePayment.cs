namespace Modular.Modules.Payments.Contracts;

/// <summary>
/// Authorise <paramref name="Amount"/> on the customer's payment method. Answered by <see cref="PaymentAuthorized"/> or
/// <see cref="PaymentDeclined"/>; one order is charged at most once.
/// </summary>
/// <param name="PaymentToken">
/// The token in plain text. Only messages sent before docs/adr/0023 carry it; Payments still honours them. Never set it.
/// </param>
/// <param name="SealedPaymentToken">
/// The token sealed for Payments' public key (a <c>SealedBox</c> for the context <see cref="SealingContextFor"/>), so
/// that only Payments can read it, wherever the message is kept on its way.
/// </param>
public sealed record AuthorizePayment(Guid OrderId, decimal Amount, string Currency, string? PaymentToken, string? SealedPaymentToken = null)
{
    /// <summary>The configuration section of Payments' key pair: a process that places orders seals with its public key.</summary>
    public const string SealingKeySection = "Payments:TokenKey";

    /// <summary>Where Development keeps the key pair when the section names none (under the content root, git-ignored).</summary>
    public const string DevelopmentKeyFile = ".local/payments-token-key.pem";

    /// <summary>A sealed token opens only for the order it was sealed for: it cannot be moved onto another order's payment.</summary>
    public static string SealingContextFor(Guid orderId) => $"Modular.Payments.PaymentToken/{orderId:D}";
}
