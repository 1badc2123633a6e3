using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Security;
using Wolverine;
using Wolverine.Http;

namespace Modular.Modules.Ordering.Orders;

public static class CancelOrderEndpoint
{
    /// <summary>
    /// Reads the order for writing: a concurrent change to its stream makes this commit fail with 409. No order has
    /// the empty id, and Marten refuses to fetch a stream by it, so that one is simply not found.
    /// </summary>
    public static async Task<IEventStream<Order>?> LoadAsync(Guid orderId, IDocumentSession session, CancellationToken cancellation) =>
        orderId == Guid.Empty ? null : await session.Events.FetchForWriting<Order>(orderId, cancellation);

    public static ProblemDetails Validate(IEventStream<Order>? stream, Guid orderId, ClaimsPrincipal user) => stream?.Aggregate switch
    {
        null => OrderProblems.NotFound(orderId),
        { } order when !user.MaySee(order.CustomerId) => OrderProblems.NotFound(orderId),
        { Status: OrderStatus.Cancelling } => WolverineContinue.NoProblems,
        { CanBeCancelled: false } order => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The order can no longer be cancelled.",
            Detail = order.Status == OrderStatus.Cancelled
                ? $"Order {order.Id} is already Cancelled."
                : $"Order {order.Id} is {order.Status}: only a Placed, StockReserved or Confirmed order can be cancelled.",
        },
        _ => WolverineContinue.NoProblems,
    };

    /// <summary>
    /// Cancelling an order that is being cancelled answers 202 again and changes nothing, so a retried request is safe;
    /// an order that has ended (Cancelled included) or is being rejected or expired answers 409 naming its status.
    /// </summary>
    [WolverinePost("/orders/{orderId}/cancel")]
    [Authorize(Policy = Policies.Customer)]
    [EndpointSummary("Cancel an order: its stock is released and any payment refunded")]
    [Tags("Ordering")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public static (Accepted<OrderAccepted>, OutgoingMessages) Post(IEventStream<Order> stream)
    {
        var order = stream.Aggregate!;
        var (events, messages) = order.Cancel().Effects(order);
        stream.AppendMany(events);
        return (TypedResults.Accepted(OrderView.UrlFor(order.Id), new OrderAccepted(order.Id)), messages);
    }
}
