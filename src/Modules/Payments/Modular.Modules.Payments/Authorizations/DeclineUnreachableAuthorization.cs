using Marten;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;
using Wolverine;
using Wolverine.Marten;

namespace Modular.Modules.Payments.Authorizations;

/// <summary>
/// Payments' error policy gave up on <see cref="Command"/>: the provider could not be reached on any attempt of its
/// retry schedule (<see cref="ProviderRetryOptions"/>). Sent by that policy, handled here; never crosses a process.
/// </summary>
public sealed record DeclineUnreachableAuthorization(AuthorizePayment Command, string? CustomerId, string Reason)
{
    public Guid OrderId => Command.OrderId;
}

/// <summary>
/// Declines the payment of an authorisation the provider never answered, naming the cause: the order is then rejected
/// and its stock released, rather than holding stock for a payment that will never come.
/// </summary>
public static class DeclineUnreachableAuthorizationHandler
{
    public static Task<Payment?> LoadAsync(DeclineUnreachableAuthorization decline, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<Payment>(decline.OrderId, cancellation);

    public static (OutgoingMessages, IMartenOp) Handle(DeclineUnreachableAuthorization decline, Payment? existing, TimeProvider clock)
    {
        if (existing is not null)
        {
            // Recorded meanwhile: by a cancellation that came first, or by this decline delivered twice.
            return ([], MartenOps.Nothing());
        }

        var (payment, answer) = Payment.Record(decline.Command, decline.CustomerId, new AuthorizationOutcome.Declined(decline.Reason), clock.GetUtcNow());
        PaymentsMetrics.Declined.Add();
        return ([answer], MartenOps.Insert(payment));
    }
}
