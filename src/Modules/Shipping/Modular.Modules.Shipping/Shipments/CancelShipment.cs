using FluentValidation;
using Marten;
using Modular.Modules.Ordering.Contracts;
using Wolverine.Marten;

namespace Modular.Modules.Shipping.Shipments;

public sealed class OrderCancelledValidator : AbstractValidator<OrderCancelled>
{
    public OrderCancelledValidator() => RuleFor(x => x.OrderId).NotEmpty();
}

/// <summary>
/// A cancelled order's shipment that has not been dispatched never will be. Ordering refuses to cancel an order it knows
/// is shipped (409); an order cancelled before it was confirmed has no shipment.
/// </summary>
public static class CancelShipmentHandler
{
    public static Task<Shipment?> LoadAsync(OrderCancelled cancelled, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<Shipment>(cancelled.OrderId, cancellation);

    public static IMartenOp Handle(OrderCancelled cancelled, Shipment? shipment) =>
        shipment is not null && shipment.Cancel() ? MartenOps.Store(shipment) : MartenOps.Nothing();
}
