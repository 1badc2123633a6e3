using Wolverine.Tracking;

namespace Modular.Testing;

public static class Tracked
{
    /// <summary>
    /// The messages of type <typeparamref name="T"/> the tracked activity sent or published, once each, whether or
    /// not a module in the test's catalog handles them (a module tested alone emits to modules that are not there).
    /// </summary>
    public static IReadOnlyList<T> Emitted<T>(this ITrackedSession session) =>
        session.AllRecordsInOrder()
            .Where(r => r.MessageEventType is MessageEventType.Sent or MessageEventType.NoRoutes && r.Message is T)
            .DistinctBy(r => r.Envelope!.Id)
            .Select(r => (T)r.Message!)
            .ToList();
}
