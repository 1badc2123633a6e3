using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Modular.BuildingBlocks.Security;
using Wolverine.Http;

namespace Modular.Modules.Shipping.Shipments;

public static class GetShipmentEndpoint
{
    [WolverineGet("/shipments/{orderId}")]
    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Get an order's shipment")]
    [Tags("Shipping")]
    public static async Task<Results<Ok<ShipmentView>, ProblemHttpResult>> Get(Guid orderId, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Shipment>(orderId, cancellation) is { } shipment
            ? TypedResults.Ok(ShipmentView.From(shipment))
            : TypedResults.Problem(ShipmentProblems.NotFound(orderId));
}
