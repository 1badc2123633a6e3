namespace Modular.Modules.Payments.Provider;

/// <summary>
/// The payment provider (a card processor). Both calls are idempotent on their key, as real providers' are: calling
/// again after a lost answer returns the first outcome instead of charging twice.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>
    /// Authorises <paramref name="amount"/> for an order, keyed by <paramref name="orderId"/>. A decline is an answer,
    /// not an error; <see cref="PaymentProviderUnavailableException"/> means try again later.
    /// </summary>
    Task<AuthorizationOutcome> AuthorizeAsync(Guid orderId, decimal amount, string currency, string paymentToken, CancellationToken cancellation);

    /// <summary>Gives back an authorised amount. Throws <see cref="PaymentProviderUnavailableException"/> when the provider cannot be reached.</summary>
    Task RefundAsync(Guid orderId, string authorizationId, decimal amount, string currency, CancellationToken cancellation);

    /// <summary>
    /// Releases whatever the provider holds for an order, if anything: an authorisation made just before the order's
    /// cancellation was recorded must not stay on the customer's card.
    /// </summary>
    Task VoidAsync(Guid orderId, CancellationToken cancellation);
}

public abstract record AuthorizationOutcome
{
    public sealed record Authorized(string AuthorizationId) : AuthorizationOutcome;

    public sealed record Declined(string Reason) : AuthorizationOutcome;
}

/// <summary>The provider could not be reached or answered with a transient error: the same call may succeed later.</summary>
public sealed class PaymentProviderUnavailableException(string message) : Exception(message);
