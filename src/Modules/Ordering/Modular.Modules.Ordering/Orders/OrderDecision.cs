using Wolverine;
using Wolverine.Marten;

namespace Modular.Modules.Ordering.Orders;

/// <summary>What a decision of the order records in its stream, and the messages it sends or publishes.</summary>
public sealed record OrderDecision(IReadOnlyList<object> Events, IReadOnlyList<object> Messages)
{
    public static readonly OrderDecision None = new([], []);

    /// <summary>
    /// The decision about <paramref name="order"/> as Wolverine's return values: events appended to the order's stream,
    /// messages sent through the outbox. An ending it decides is counted (<see cref="OrderingMetrics"/>).
    /// </summary>
    public (Events, OutgoingMessages) Effects(Order order)
    {
        OrderingMetrics.Decided(Events, order.PlacedAt);
        var events = new Events();
        events.AddRange(Events);
        var messages = new OutgoingMessages();
        messages.AddRange(Messages);
        return (events, messages);
    }
}
