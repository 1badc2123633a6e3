using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Ordering.Orders;
using Modular.Modules.Payments.Contracts;
using Wolverine;
using Wolverine.Marten;

namespace Modular.Modules.Ordering.Fulfilment;

/// <summary>
/// The process manager of an order: every answer from Inventory and Payments is applied to the order's stream,
/// whose state decides what happens next. Wolverine loads the stream by the message's <c>OrderId</c>, appends the
/// returned events with an optimistic version check (a concurrent answer makes one of them retry) and sends the
/// returned messages through the outbox in the same transaction.
/// <code>
/// Placed --StockReserved--> StockReserved --PaymentAuthorized--> Confirmed
///   |                           `--PaymentDeclined--> Rejecting --StockReleased--> Rejected
///   `--StockReservationRejected--> Rejected
/// Placed | StockReserved | Confirmed --cancel--> Cancelling --StockReleased + PaymentRefunded--> Cancelled
/// </code>
/// </summary>
[AggregateHandler]
public static class OrderFulfilmentHandler
{
    public static (Events, OutgoingMessages) Handle(StockReserved _, Order order) =>
        order.OnStockReserved().Effects();

    public static (Events, OutgoingMessages) Handle(StockReservationRejected rejected, Order order, TimeProvider clock) =>
        order.OnStockRejected(rejected, clock.GetUtcNow()).Effects();

    public static (Events, OutgoingMessages) Handle(PaymentAuthorized authorized, Order order, TimeProvider clock) =>
        order.OnPaymentAuthorized(authorized, clock.GetUtcNow()).Effects();

    public static (Events, OutgoingMessages) Handle(PaymentDeclined declined, Order order) =>
        order.OnPaymentDeclined(declined).Effects();

    public static (Events, OutgoingMessages) Handle(StockReleased _, Order order, TimeProvider clock) =>
        order.OnStockReleased(clock.GetUtcNow()).Effects();

    public static (Events, OutgoingMessages) Handle(PaymentRefunded refunded, Order order, TimeProvider clock) =>
        order.OnPaymentRefunded(refunded, clock.GetUtcNow()).Effects();
}
