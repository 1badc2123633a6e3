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
        Guid orderId, ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation)
    {
        var order = await session.LoadAsync<Order>(orderId, cancellation);
        if (order is null || !user.MaySee(order.CustomerId))
        {
            return TypedResults.Problem(OrderProblems.NotFound(orderId));
        }

        var stream = await session.Events.FetchStreamAsync(orderId, token: cancellation);
        return TypedResults.Ok(OrderView.From(order, stream));
    }
}
