using Modular.BuildingBlocks.Operations;

namespace Modular.Host.Tests.Telemetry;

/// <summary>The console's live figures as arithmetic: rates over the last complete seconds, percentiles within 10 %, old seconds forgotten.</summary>
public sealed class ModuleActivityTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_rate_is_what_was_handled_in_the_last_ten_complete_seconds()
    {
        var activity = new ModuleActivity(_clock);
        for (var second = 0; second < 20; second++)
        {
            activity.Handled("Ordering", 3);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        // The second under way has handled 50 so far: not counted until it is over.
        activity.Handled("Ordering", 50);

        var figures = activity.Read("Ordering");
        Assert.Equal(3.0, figures.HandledPerSecond);
        Assert.Equal(110, figures.Handled);
        Assert.Equal(ModuleActivityFigures.None, activity.Read("Inventory"));
    }

    [Fact]
    public void Percentiles_are_read_within_ten_percent_above_the_true_value()
    {
        var activity = new ModuleActivity(_clock);
        for (var i = 1; i <= 100; i++)
        {
            activity.HandlingTook("Payments", TimeSpan.FromMilliseconds(i));
        }

        var figures = activity.Read("Payments");
        Assert.InRange(figures.P50Milliseconds!.Value, 50, 55);
        Assert.InRange(figures.P99Milliseconds!.Value, 99, 109);
    }

    [Fact]
    public void Failures_and_latencies_older_than_a_minute_are_forgotten_but_the_totals_stay()
    {
        var activity = new ModuleActivity(_clock);
        activity.Failed("Inventory", 2);
        activity.DeadLettered("Inventory", 1);
        activity.HandlingTook("Inventory", TimeSpan.FromSeconds(2));

        _clock.Advance(TimeSpan.FromSeconds(61));
        var figures = activity.Read("Inventory");

        Assert.Equal((0L, (double?)null, 2L, 1L), (figures.FailedLastMinute, figures.P99Milliseconds, figures.Failed, figures.DeadLettered));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
