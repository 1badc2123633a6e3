using System.Security.Claims;
using Asp.Versioning;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Modular.BuildingBlocks.Security;
using Wolverine.Http;

namespace Modular.Modules.Ordering.Orders;

/// <summary>An amount with its currency, as version 2 of the API writes every amount.</summary>
public sealed record MoneyView(decimal Amount, string Currency);

public sealed record OrderLineViewV2(string Sku, string Name, int Quantity, MoneyView UnitPrice, MoneyView LineTotal);

/// <summary>
/// Version 2 of an order: every amount carries its currency (<c>"total": { "amount": 34.60, "currency": "EUR" }</c>)
/// instead of one <c>currency</c> field for the whole order, which a client had to pair with each number itself.
/// A change of shape, so a new version beside version 1, which is unchanged.
/// </summary>
public sealed record OrderViewV2(
    Guid Id, string CustomerId, OrderStatus Status, IReadOnlyList<OrderLineViewV2> Lines, MoneyView Total,
    DateTimeOffset PlacedAt, string? RejectionReason, IReadOnlyList<TimelineEntry> Timeline, string? TraceId)
{
    public static OrderViewV2 From(OrderView v1) => new(
        v1.Id, v1.CustomerId, v1.Status,
        v1.Lines.Select(l => new OrderLineViewV2(l.Sku, l.Name, l.Quantity, new MoneyView(l.UnitPrice, v1.Currency), new MoneyView(l.LineTotal, v1.Currency))).ToList(),
        new MoneyView(v1.Total, v1.Currency), v1.PlacedAt, v1.RejectionReason, v1.Timeline, v1.TraceId);
}

[ApiVersion("2.0")]
public static class GetOrderV2Endpoint
{
    [WolverineGet("/orders/{orderId}")]
    [Authorize(Policy = Policies.Customer)]
    [EndpointSummary("Get an order, every amount with its currency")]
    [Tags("Ordering")]
    public static async Task<Results<Ok<OrderViewV2>, ProblemHttpResult>> Get(
        Guid orderId, ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation) =>
        await GetOrderEndpoint.FindAsync(orderId, user, session, cancellation) is { } order
            ? TypedResults.Ok(OrderViewV2.From(order))
            : TypedResults.Problem(OrderProblems.NotFound(orderId));
}
