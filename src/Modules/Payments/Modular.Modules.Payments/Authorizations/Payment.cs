using System.Text.Json.Serialization;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;

namespace Modular.Modules.Payments.Authorizations;

public enum PaymentStatus
{
    Authorized,
    Declined,
    Refunded,

    /// <summary>The refund came before any authorisation: nothing was taken and nothing will be.</summary>
    CancelledBeforeAuthorization,
}

/// <summary>The payment of one order. There is at most one per order, so an order is charged at most once.</summary>
public sealed class Payment
{
    [JsonConstructor]
    private Payment(
        Guid orderId, string? customerId, decimal amount, string currency, PaymentStatus status, string? authorizationId, string? declineReason, DateTimeOffset updatedAt)
    {
        OrderId = orderId;
        CustomerId = customerId;
        Amount = amount;
        Currency = currency;
        Status = status;
        AuthorizationId = authorizationId;
        DeclineReason = declineReason;
        UpdatedAt = updatedAt;
    }

    public Guid OrderId { get; }

    /// <summary>
    /// The customer whose order this pays: the subject relayed on the request to authorise it. Null for a payment
    /// cancelled before any authorisation, which only staff see.
    /// </summary>
    public string? CustomerId { get; }

    public decimal Amount { get; }

    public string Currency { get; }

    [JsonInclude]
    public PaymentStatus Status { get; private set; }

    public string? AuthorizationId { get; }

    public string? DeclineReason { get; }

    [JsonInclude]
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Records what the provider answered, and the event that tells the order.</summary>
    public static (Payment Payment, object Answer) Record(
        AuthorizePayment command, string? customerId, AuthorizationOutcome outcome, DateTimeOffset now) => outcome switch
    {
        AuthorizationOutcome.Authorized authorized => (
            new Payment(command.OrderId, customerId, command.Amount, command.Currency, PaymentStatus.Authorized, authorized.AuthorizationId, null, now),
            new PaymentAuthorized(command.OrderId, authorized.AuthorizationId, command.Amount, command.Currency, now)),
        AuthorizationOutcome.Declined declined => (
            new Payment(command.OrderId, customerId, command.Amount, command.Currency, PaymentStatus.Declined, null, declined.Reason, now),
            new PaymentDeclined(command.OrderId, declined.Reason, now)),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown authorisation outcome."),
    };

    public static Payment CancelledBeforeAuthorization(Guid orderId, DateTimeOffset now) =>
        new(orderId, null, 0m, "", PaymentStatus.CancelledBeforeAuthorization, null, null, now);

    /// <summary>What a refund gives back now: the authorised amount once, nothing for a payment that took nothing.</summary>
    public decimal Refundable => Status == PaymentStatus.Authorized ? Amount : 0m;

    public PaymentRefunded Refund(DateTimeOffset now)
    {
        var refunded = new PaymentRefunded(OrderId, Refundable, Refundable > 0 ? Currency : "", now);
        if (Status == PaymentStatus.Authorized)
        {
            Status = PaymentStatus.Refunded;
            UpdatedAt = now;
        }

        return refunded;
    }
}
