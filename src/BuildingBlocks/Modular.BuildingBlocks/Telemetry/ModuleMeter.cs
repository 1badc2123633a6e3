using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Modular.BuildingBlocks.Telemetry;

/// <summary>
/// A module's business metrics: one <see cref="Meter"/> per module, named <c>Modular.{Module}</c>, whose every
/// measurement carries the <c>module</c> label. Static, as the handlers that record into it are: a module declares its
/// instruments once (<c>OrderingMetrics</c>) and a handler records where it decides. See docs/adr/0025.
/// </summary>
public sealed class ModuleMeter
{
    /// <summary>The prefix of every module meter; the metrics set-up listens to <c>Modular.*</c>.</summary>
    public const string NamePrefix = "Modular.";

    public const string ModuleLabel = "module";

    private readonly KeyValuePair<string, object?> _module;

    public ModuleMeter(string module)
    {
        Module = module;
        Meter = new Meter(NamePrefix + module);
        _module = new KeyValuePair<string, object?>(ModuleLabel, module);
    }

    public string Module { get; }

    public Meter Meter { get; }

    /// <param name="unit">UCUM, or a <c>{thing}</c> annotation as OpenTelemetry's conventions use for counts.</param>
    public ModuleCounter Counter(string name, string unit, string description) =>
        new(Meter.CreateCounter<long>(name, unit, description), _module);

    /// <summary>A duration in seconds, as OpenTelemetry's conventions record them.</summary>
    public ModuleDuration Duration(string name, string description) =>
        new(Meter.CreateHistogram<double>(name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets }), _module);

    /// <summary>
    /// Seconds to hours: an order ends in milliseconds when all goes well, and after its deadline (minutes) when not;
    /// the default boundaries (milliseconds to 10 s) would put every expired order in the last bucket.
    /// </summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
}

public sealed class ModuleCounter(Counter<long> counter, KeyValuePair<string, object?> module)
{
    public void Add(long value = 1) => counter.Add(value, module);

    public void Add(string label, string? value) => counter.Add(1, module, new KeyValuePair<string, object?>(label, value));
}

public sealed class ModuleDuration(Histogram<double> histogram, KeyValuePair<string, object?> module)
{
    public void Record(TimeSpan duration, string label, string? value) =>
        histogram.Record(duration.TotalSeconds, new TagList { module, { label, value } });
}
