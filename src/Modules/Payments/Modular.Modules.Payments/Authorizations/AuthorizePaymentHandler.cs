using FluentValidation;
using Marten;
using Modular.BuildingBlocks.Validation;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;
using Wolverine;
using Wolverine.Marten;

namespace Modular.Modules.Payments.Authorizations;

public sealed class AuthorizePaymentValidator : AbstractValidator<AuthorizePayment>
{
    /// <summary>The 200 characters Ordering accepts seal to about 450 characters (1,100 if each takes 4 UTF-8 bytes).</summary>
    public const int MaxSealedTokenLength = 2000;

    public AuthorizePaymentValidator()
    {
        RuleFor(x => x.OrderId).NotEmpty();
        RuleFor(x => x.Amount).MustBePositivePrice();
        RuleFor(x => x.Currency).MustBeIsoCurrency();
        RuleFor(x => x).Must(x => string.IsNullOrEmpty(x.PaymentToken) != string.IsNullOrEmpty(x.SealedPaymentToken))
            .WithName(nameof(AuthorizePayment.SealedPaymentToken))
            .WithMessage("Give the sealed payment token, or (in a message sent before it existed) the plain one: exactly one of the two.");
        RuleFor(x => x.SealedPaymentToken).MaximumLength(MaxSealedTokenLength);
    }
}

/// <summary>
/// Authorises an order's payment with the provider, once. A decline is answered at once and never retried; a provider
/// that cannot be reached throws, and the module's error policy retries with back-off behind a circuit breaker. On the
/// last attempt the payment is declined instead, naming the cause: the order is then rejected and its stock released,
/// rather than holding stock for a payment that will never come. A sealed token that does not open is declined at once:
/// it was altered or sealed for a key Payments does not hold, and no retry changes that.
/// </summary>
public static class AuthorizePaymentHandler
{
    public static Task<Payment?> LoadAsync(AuthorizePayment command, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<Payment>(command.OrderId, cancellation);

    public static async Task<(OutgoingMessages, IMartenOp)> HandleAsync(
        AuthorizePayment command, Payment? existing, IPaymentProvider provider, PaymentTokens tokens, Envelope envelope, TimeProvider clock, CancellationToken cancellation)
    {
        switch (existing?.Status)
        {
            case PaymentStatus.CancelledBeforeAuthorization:
                // A retry after losing the race to the refund may have authorised at the provider already.
                await provider.VoidAsync(command.OrderId, cancellation);
                return ([new PaymentDeclined(command.OrderId, "The order was cancelled before its payment was authorised.", clock.GetUtcNow())],
                    MartenOps.Nothing());
            case not null:
                return ([], MartenOps.Nothing());
        }

        AuthorizationOutcome outcome;
        try
        {
            outcome = await provider.AuthorizeAsync(command.OrderId, command.Amount, command.Currency, tokens.TokenOf(command), cancellation);
        }
        catch (UnreadablePaymentTokenException unreadable)
        {
            outcome = new AuthorizationOutcome.Declined(unreadable.Message);
        }
        catch (PaymentProviderUnavailableException)
        {
            PaymentsMetrics.ProviderFailures.Add(PaymentsMetrics.OperationLabel, "authorize");
            throw;
        }

        var (payment, answer) = Payment.Record(command, envelope.UserName, outcome, clock.GetUtcNow());
        if (answer is PaymentDeclined)
        {
            PaymentsMetrics.Declined.Add();
        }

        return ([answer], MartenOps.Insert(payment));
    }
}
