using FluentValidation;
using Marten;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;
using Wolverine.Marten;

namespace Modular.Modules.Payments.Authorizations;

public sealed class RefundPaymentValidator : AbstractValidator<RefundPayment>
{
    public RefundPaymentValidator() => RuleFor(x => x.OrderId).NotEmpty();
}

/// <summary>
/// Gives back what an order paid, and always answers <see cref="PaymentRefunded"/>: with the amount when it had been
/// authorised, with 0 when nothing was taken. A refund that comes before the authorisation leaves a record behind, so
/// the late authorisation is declined instead of charging a cancelled order.
/// </summary>
public static class RefundPaymentHandler
{
    public static Task<Payment?> LoadAsync(RefundPayment command, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<Payment>(command.OrderId, cancellation);

    public static async Task<(PaymentRefunded, IMartenOp)> HandleAsync(
        RefundPayment command, Payment? payment, IPaymentProvider provider, TimeProvider clock, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        if (payment is null)
        {
            var cancelled = Payment.CancelledBeforeAuthorization(command.OrderId, now);
            return (cancelled.Refund(now), MartenOps.Insert(cancelled));
        }

        if (payment.Refundable == 0m)
        {
            return (payment.Refund(now), MartenOps.Nothing());
        }

        try
        {
            await provider.RefundAsync(payment.OrderId, payment.AuthorizationId!, payment.Amount, payment.Currency, cancellation);
        }
        catch (PaymentProviderUnavailableException)
        {
            PaymentsMetrics.ProviderFailures.Add(PaymentsMetrics.OperationLabel, "refund");
            throw;
        }

        return (payment.Refund(now), MartenOps.Store(payment));
    }
}
