using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Shipping.Contracts;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Shipping.Shipments;

/// <param name="TrackingReference">The carrier's reference for the parcel.</param>
public sealed record DispatchShipment(string TrackingReference)
{
    public const int MaxTrackingReferenceLength = 64;

    public sealed class Validator : AbstractValidator<DispatchShipment>
    {
        public Validator() => RuleFor(x => x.TrackingReference).NotEmpty().MaximumLength(MaxTrackingReferenceLength)
            .Matches(@"^\s*[A-Za-z0-9][A-Za-z0-9 ._/-]*$").WithMessage("A tracking reference is letters, digits, spaces and . _ / -, starting with a letter or digit.");
    }
}

public static class DispatchShipmentEndpoint
{
    public static Task<Shipment?> LoadAsync(Guid orderId, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<Shipment>(orderId, cancellation);

    public static ProblemDetails Validate(DispatchShipment command, Shipment? shipment, Guid orderId) =>
        ShipmentProblems.Check(shipment, orderId, s => s.WhyNotDispatch(command.TrackingReference.Trim()));

    /// <summary>
    /// Dispatching again with the same tracking reference answers 200 and changes nothing, so a retried request is safe;
    /// another reference, or a shipment cancelled or delivered, answers 409 naming why.
    /// </summary>
    [WolverinePost("/shipments/{orderId}/dispatch")]
    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Mark an order's shipment dispatched, with the carrier's tracking reference")]
    [Tags("Shipping")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public static (ShipmentView, ShipmentDispatched?, IMartenOp) Post(DispatchShipment command, [NotBody] Shipment shipment, TimeProvider clock)
    {
        var dispatched = shipment.Dispatch(command.TrackingReference.Trim(), clock.GetUtcNow());
        return (ShipmentView.From(shipment), dispatched, dispatched is null ? MartenOps.Nothing() : MartenOps.Store(shipment));
    }
}
