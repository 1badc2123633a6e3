using FluentValidation;
using Marten;
using Modular.Modules.Ordering.Contracts;
using Wolverine.Marten;

namespace Modular.Modules.Shipping.Shipments;

public sealed class OrderConfirmedValidator : AbstractValidator<OrderConfirmed>
{
    public OrderConfirmedValidator()
    {
        RuleFor(x => x.OrderId).NotEmpty();
        RuleFor(x => x.CustomerId).NotEmpty();
    }
}

/// <summary>A confirmed order gets its shipment, once: a second delivery of the confirmation finds it and does nothing.</summary>
public static class CreateShipmentHandler
{
    public static Task<Shipment?> LoadAsync(OrderConfirmed confirmed, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<Shipment>(confirmed.OrderId, cancellation);

    public static IMartenOp Handle(OrderConfirmed confirmed, Shipment? existing) =>
        existing is null
            ? MartenOps.Insert(Shipment.For(confirmed.OrderId, confirmed.CustomerId, confirmed.ConfirmedAt))
            : MartenOps.Nothing();
}
