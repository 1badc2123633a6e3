using FluentValidation;
using Modular.BuildingBlocks.Validation;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Ordering.Orders;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Shipping.Contracts;
using Wolverine;
using Wolverine.Marten;

namespace Modular.Modules.Ordering.Fulfilment;

// What Ordering accepts from Inventory, Payments and Shipping. An invalid answer goes to the dead letters and moves no order;
// the order's deadline then ends it (OrderDeadlineHandler).

public sealed class StockReservedValidator : AbstractValidator<StockReserved>
{
    public StockReservedValidator() => RuleFor(x => x.OrderId).NotEmpty();
}

public sealed class StockReservationRejectedValidator : AbstractValidator<StockReservationRejected>
{
    public StockReservationRejectedValidator()
    {
        RuleFor(x => x.OrderId).NotEmpty();
        RuleFor(x => x.Rejections).NotNull();
    }
}

public sealed class StockReleasedValidator : AbstractValidator<StockReleased>
{
    public StockReleasedValidator() => RuleFor(x => x.OrderId).NotEmpty();
}

public sealed class PaymentAuthorizedValidator : AbstractValidator<PaymentAuthorized>
{
    public PaymentAuthorizedValidator()
    {
        RuleFor(x => x.OrderId).NotEmpty();
        RuleFor(x => x.AuthorizationId).NotEmpty();
        RuleFor(x => x.Amount).GreaterThan(0m);
        RuleFor(x => x.Currency).MustBeIsoCurrency();
    }
}

public sealed class PaymentDeclinedValidator : AbstractValidator<PaymentDeclined>
{
    public PaymentDeclinedValidator() => RuleFor(x => x.OrderId).NotEmpty();
}

public sealed class PaymentRefundedValidator : AbstractValidator<PaymentRefunded>
{
    public PaymentRefundedValidator()
    {
        RuleFor(x => x.OrderId).NotEmpty();
        RuleFor(x => x.Amount).GreaterThanOrEqualTo(0m);
        RuleFor(x => x.Currency).MustBeIsoCurrency().When(x => x.Amount > 0m);
    }
}

public sealed class ShipmentDispatchedValidator : AbstractValidator<ShipmentDispatched>
{
    public ShipmentDispatchedValidator()
    {
        RuleFor(x => x.OrderId).NotEmpty();
        RuleFor(x => x.TrackingReference).NotEmpty();
    }
}

public sealed class ShipmentDeliveredValidator : AbstractValidator<ShipmentDelivered>
{
    public ShipmentDeliveredValidator() => RuleFor(x => x.OrderId).NotEmpty();
}

/// <summary>
/// The process manager of an order: every answer from Inventory and Payments is applied to the order's stream,
/// whose state decides what happens next. Wolverine loads the stream by the message's <c>OrderId</c>, appends the
/// returned events with an optimistic version check (a concurrent answer makes one of them retry) and sends the
/// returned messages through the outbox in the same transaction.
/// <code>
/// Placed --StockReserved--> StockReserved --PaymentAuthorized (= total)--> Confirmed
///   |                           |--PaymentAuthorized (another amount)--> Rejecting --StockReleased + PaymentRefunded--> Rejected
///   |                           `--PaymentDeclined--> Rejecting --StockReleased--> Rejected
///   `--StockReservationRejected--> Rejected
/// Placed | StockReserved | Confirmed --cancel--> Cancelling --StockReleased + PaymentRefunded--> Cancelled
/// Placed | StockReserved --deadline--> Expiring --StockReleased + PaymentRefunded--> Expired   (OrderDeadlineHandler)
/// Confirmed --ShipmentDispatched--> Shipped --ShipmentDelivered--> Delivered
/// </code>
/// </summary>
[AggregateHandler]
public static class OrderFulfilmentHandler
{
    public static (Events, OutgoingMessages) Handle(StockReserved _, Order order) =>
        order.OnStockReserved().Effects(order);

    public static (Events, OutgoingMessages) Handle(StockReservationRejected rejected, Order order, TimeProvider clock) =>
        order.OnStockRejected(rejected, clock.GetUtcNow()).Effects(order);

    public static (Events, OutgoingMessages) Handle(PaymentAuthorized authorized, Order order, TimeProvider clock) =>
        order.OnPaymentAuthorized(authorized, clock.GetUtcNow()).Effects(order);

    public static (Events, OutgoingMessages) Handle(PaymentDeclined declined, Order order) =>
        order.OnPaymentDeclined(declined).Effects(order);

    public static (Events, OutgoingMessages) Handle(StockReleased _, Order order, TimeProvider clock) =>
        order.OnStockReleased(clock.GetUtcNow()).Effects(order);

    public static (Events, OutgoingMessages) Handle(PaymentRefunded refunded, Order order, TimeProvider clock) =>
        order.OnPaymentRefunded(refunded, clock.GetUtcNow()).Effects(order);

    public static (Events, OutgoingMessages) Handle(ShipmentDispatched dispatched, Order order) =>
        order.OnShipmentDispatched(dispatched).Effects(order);

    public static (Events, OutgoingMessages) Handle(ShipmentDelivered delivered, Order order) =>
        order.OnShipmentDelivered(delivered).Effects(order);
}
