using Modular.Modules.Ordering.Orders;
using Wolverine;
using Wolverine.Marten;

namespace Modular.Modules.Ordering.Fulfilment;

/// <summary>The <c>Ordering:Deadlines</c> section: how long an order may wait before it is ended by compensation.</summary>
public sealed class OrderDeadlineOptions
{
    public const string SectionName = "Ordering:Deadlines";

    /// <summary>
    /// From placing to an authorised payment. Longer than a paused payment inbox (the circuit breaker's pause) and a few
    /// provider retries; shorter than an unreachable provider's whole retry schedule, so such an order gives its stock
    /// back within this time rather than after minutes of retries.
    /// </summary>
    public TimeSpan Payment { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>From placing to an ending; when it passes, compensation requests still unanswered are sent again.</summary>
    public TimeSpan Overall { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The deadline messages to schedule when an order is placed at <paramref name="placedAt"/>.</summary>
    public IEnumerable<object> ScheduleFor(Guid orderId, DateTimeOffset placedAt) =>
    [
        new EnforceOrderDeadline(orderId, OrderDeadline.Payment, Payment).ScheduledAt(placedAt + Payment),
        new EnforceOrderDeadline(orderId, OrderDeadline.Overall, Overall).ScheduledAt(placedAt + Overall),
    ];
}

/// <summary>
/// An order's deadline, scheduled when it is placed. A scheduled message is durable (it waits in the envelope tables
/// and survives restarts), so no lost message, paused inbox or dead letter elsewhere can hold an order, or its stock,
/// forever: see docs/adr/0017.
/// </summary>
public sealed record EnforceOrderDeadline(Guid OrderId, OrderDeadline Deadline, TimeSpan After);

/// <summary>Ends an order that is not final when its deadline comes; an order that has ended ignores it.</summary>
[AggregateHandler]
public static class OrderDeadlineHandler
{
    public static (Events, OutgoingMessages) Handle(EnforceOrderDeadline deadline, Order order) =>
        order.OnDeadline(deadline.Deadline, deadline.After).Effects(order);
}
