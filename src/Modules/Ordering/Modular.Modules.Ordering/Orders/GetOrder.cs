using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Modular.BuildingBlocks.Security;
using Wolverine.Http;

namespace Modular.Modules.Ordering.Orders;

public static class GetOrderEndpoint
{
    [WolverineGet("/orders/{orderId}")]
    [Authorize(Policy = Policies.Customer)]
    [EndpointSummary("Get an order: status, lines, total and its timeline")]
    [Tags("Ordering")]
    public static async Task<Results<Ok<OrderView>, ProblemHttpResult>> Get(
        Guid orderId, ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation) =>
        await FindAsync(orderId, user, session, cancellation) is { } order
            ? TypedResults.Ok(order)
            : TypedResults.Problem(OrderProblems.NotFound(orderId));

    /// <summary>The order as <paramref name="user"/> may see it; null when there is none, or it is another customer's.</summary>
    internal static async Task<OrderView?> FindAsync(Guid orderId, ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation)
    {
        var order = await session.LoadAsync<Order>(orderId, cancellation);
        if (order is null || !user.MaySee(order.CustomerId))
        {
            return null;
        }

        return OrderView.From(order, await session.Events.FetchStreamAsync(orderId, token: cancellation));
    }
}
