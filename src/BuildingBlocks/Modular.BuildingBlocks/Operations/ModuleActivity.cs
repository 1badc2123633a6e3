namespace Modular.BuildingBlocks.Operations;

/// <summary>What a module's handlers did lately, as the operations console shows it.</summary>
/// <param name="HandledPerSecond">Messages handled successfully per second over the last <see cref="ModuleActivity.RateWindow"/>.</param>
/// <param name="FailedLastMinute">Attempts that threw in the last <see cref="ModuleActivity.LatencyWindow"/> (a retried message counts per attempt).</param>
/// <param name="P50Milliseconds">Handling time, median, over the last <see cref="ModuleActivity.LatencyWindow"/>; null when nothing was handled.</param>
/// <param name="P99Milliseconds">Handling time, 99th percentile, over the same window.</param>
/// <param name="Handled">Handled successfully since this process started.</param>
/// <param name="Failed">Attempts that threw since this process started.</param>
/// <param name="DeadLettered">Messages given up on since this process started.</param>
public sealed record ModuleActivityFigures(
    double HandledPerSecond, long FailedLastMinute, double? P50Milliseconds, double? P99Milliseconds, long Handled, long Failed, long DeadLettered)
{
    public static readonly ModuleActivityFigures None = new(0, 0, null, null, 0, 0, 0);
}

/// <summary>
/// Each hosted module's recent message handling, kept in this process's memory from the same measurements that make its
/// <c>modular.messages.*</c> metrics (<see cref="Telemetry.ModuleMessageMetrics"/> records both), so the operations
/// console shows live rates and latencies with no Prometheus to ask. A module keeps one slot per second for the last
/// minute; a slot holds counts and a histogram of handling times whose buckets grow by 10 %, so a percentile is read to
/// within 10 % in fixed memory whatever the traffic. See docs/adr/0039.
/// </summary>
public sealed class ModuleActivity(TimeProvider clock)
{
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan LatencyWindow = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Window> _modules = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Handled(string module, long count) => Record(module, (slot, window) =>
    {
        slot.Handled += count;
        window.Handled += count;
    });

    public void Failed(string module, long count) => Record(module, (slot, window) =>
    {
        slot.Failed += count;
        window.Failed += count;
    });

    public void DeadLettered(string module, long count) => Record(module, (_, window) => window.DeadLettered += count);

    public void HandlingTook(string module, TimeSpan duration) => Record(module, (slot, _) => slot.Durations[Histogram.BucketOf(duration)]++);

    public ModuleActivityFigures Read(string module)
    {
        var now = Second(clock.GetUtcNow());
        lock (_lock)
        {
            if (!_modules.TryGetValue(module, out var window))
            {
                return ModuleActivityFigures.None;
            }

            var recent = window.Slots.Where(s => s.Second > now - (long)LatencyWindow.TotalSeconds && s.Second <= now).ToList();
            // The second under way is half counted: the rate is over the last complete seconds.
            var handledLately = recent.Where(s => s.Second > now - 1 - (long)RateWindow.TotalSeconds && s.Second < now).Sum(s => s.Handled);
            var durations = new long[Histogram.Buckets];
            foreach (var slot in recent)
            {
                for (var i = 0; i < durations.Length; i++)
                {
                    durations[i] += slot.Durations[i];
                }
            }

            return new ModuleActivityFigures(
                Math.Round(handledLately / RateWindow.TotalSeconds, 2),
                recent.Sum(s => s.Failed),
                Histogram.Percentile(durations, 0.50),
                Histogram.Percentile(durations, 0.99),
                window.Handled,
                window.Failed,
                window.DeadLettered);
        }
    }

    private void Record(string module, Action<Slot, Window> record)
    {
        var now = Second(clock.GetUtcNow());
        lock (_lock)
        {
            if (!_modules.TryGetValue(module, out var window))
            {
                _modules[module] = window = new Window();
            }

            var slot = window.Slots[(int)(now % window.Slots.Length)];
            if (slot.Second != now)
            {
                slot.Reset(now);
            }

            record(slot, window);
        }
    }

    private static long Second(DateTimeOffset at) => at.ToUnixTimeSeconds();

    private sealed class Window
    {
        public Slot[] Slots { get; } = Enumerable.Range(0, (int)LatencyWindow.TotalSeconds + 1).Select(_ => new Slot()).ToArray();

        public long Handled { get; set; }

        public long Failed { get; set; }

        public long DeadLettered { get; set; }
    }

    private sealed class Slot
    {
        public long Second { get; private set; } = long.MinValue;

        public long Handled { get; set; }

        public long Failed { get; set; }

        public long[] Durations { get; } = new long[Histogram.Buckets];

        public void Reset(long second)
        {
            Second = second;
            Handled = 0;
            Failed = 0;
            Array.Clear(Durations);
        }
    }

    /// <summary>Buckets from 0.1 ms growing by 10 %: the last, from about 6 minutes, takes anything longer.</summary>
    internal static class Histogram
    {
        public const int Buckets = 160;
        private const double SmallestMilliseconds = 0.1;
        private const double Growth = 1.1;

        public static int BucketOf(TimeSpan duration) =>
            duration.TotalMilliseconds <= SmallestMilliseconds
                ? 0
                : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log(duration.TotalMilliseconds / SmallestMilliseconds, Growth)));

        /// <summary>
        /// The upper bound of the bucket holding the <paramref name="quantile"/>: never below the true value, at most 10 %
        /// above, for any handling shorter than about 6 minutes (longer ones read as the last bucket's bound).
        /// </summary>
        public static double? Percentile(long[] counts, double quantile)
        {
            var total = counts.Sum();
            if (total == 0)
            {
                return null;
            }

            var rank = (long)Math.Ceiling(quantile * total);
            long seen = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                seen += counts[i];
                if (seen >= rank)
                {
                    return Math.Round(SmallestMilliseconds * Math.Pow(Growth, i), 2);
                }
            }

            return null;
        }
    }
}
