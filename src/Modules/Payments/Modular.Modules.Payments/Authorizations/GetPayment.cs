using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Modular.BuildingBlocks.Security;
using Wolverine.Http;

namespace Modular.Modules.Payments.Authorizations;

/// <summary>What the HTTP API shows of an order's payment. The payment token is never shown.</summary>
public sealed record PaymentView(Guid OrderId, PaymentStatus Status, decimal Amount, string Currency, string? AuthorizationId, string? DeclineReason, DateTimeOffset UpdatedAt)
{
    public static PaymentView From(Payment payment) =>
        new(payment.OrderId, payment.Status, payment.Amount, payment.Currency, payment.AuthorizationId, payment.DeclineReason, payment.UpdatedAt);
}

public static class GetPaymentEndpoint
{
    [WolverineGet("/payments/{orderId}")]
    [Authorize(Policy = Policies.Customer)]
    [EndpointSummary("Get the payment of an order")]
    [Tags("Payments")]
    public static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> Get(
        Guid orderId, ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Payment>(orderId, cancellation) is { } payment && user.MaySee(payment.CustomerId)
            ? TypedResults.Ok(PaymentView.From(payment))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No payment for this order.",
                detail: $"Payments has no record of order {orderId}: its payment has not been requested yet, or the order does not exist.");
}
