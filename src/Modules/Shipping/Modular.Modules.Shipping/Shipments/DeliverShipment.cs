using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Shipping.Contracts;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Shipping.Shipments;

public static class DeliverShipmentEndpoint
{
    public static Task<Shipment?> LoadAsync(Guid orderId, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<Shipment>(orderId, cancellation);

    public static ProblemDetails Validate(Shipment? shipment, Guid orderId) => ShipmentProblems.Check(shipment, orderId, s => s.WhyNotDeliver());

    /// <summary>Delivering a delivered shipment answers 200 and changes nothing; one not dispatched answers 409.</summary>
    [WolverinePost("/shipments/{orderId}/deliver")]
    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Mark an order's shipment delivered")]
    [Tags("Shipping")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public static (ShipmentView, ShipmentDelivered?, IMartenOp) Post([NotBody] Shipment shipment, TimeProvider clock)
    {
        var delivered = shipment.Deliver(clock.GetUtcNow());
        return (ShipmentView.From(shipment), delivered, delivered is null ? MartenOps.Nothing() : MartenOps.Store(shipment));
    }
}
