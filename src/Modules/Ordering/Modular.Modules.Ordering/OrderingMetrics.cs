using Modular.BuildingBlocks.Telemetry;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Ordering.Orders;

namespace Modular.Modules.Ordering;

/// <summary>
/// The order funnel: orders placed, orders ended by outcome, and how long each took from placing to its ending.
/// Counted when the decision is made, before it commits: a decision retried after a concurrent change is counted again.
/// </summary>
public static class OrderingMetrics
{
    public const string OutcomeLabel = "outcome";

    private static readonly ModuleMeter Meter = new("Ordering");

    private static readonly ModuleCounter Placed = Meter.Counter("modular.orders.placed", "{order}", "Orders placed");

    private static readonly ModuleCounter Ended = Meter.Counter(
        "modular.orders.ended", "{order}", "Orders that reached an ending, by outcome: confirmed, rejected, cancelled or expired");

    private static readonly ModuleDuration Duration = Meter.Duration(
        "modular.order.duration", "From placing an order to its ending, by outcome");

    public static void OrderPlaced() => Placed.Add();

    /// <summary>Counts the ending <paramref name="events"/> hold, if any, for an order placed at <paramref name="placedAt"/>.</summary>
    public static void Decided(IEnumerable<object> events, DateTimeOffset placedAt)
    {
        foreach (var e in events)
        {
            var (outcome, at) = e switch
            {
                OrderConfirmed confirmed => ("confirmed", confirmed.ConfirmedAt),
                OrderRejected rejected => ("rejected", rejected.RejectedAt),
                OrderCancelled cancelled => ("cancelled", cancelled.CancelledAt),
                OrderExpired expired => ("expired", expired.ExpiredAt),
                _ => (null, default),
            };
            if (outcome is not null)
            {
                Ended.Add(OutcomeLabel, outcome);
                Duration.Record(at - placedAt, OutcomeLabel, outcome);
            }
        }
    }
}
