using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Operations;
using Wolverine;
using Wolverine.Persistence.Durability;
using Wolverine.RDBMS;
using Wolverine.Runtime;
using Wolverine.Transports;

namespace Modular.BuildingBlocks.Telemetry;

/// <summary>
/// Each module's messaging, as metrics labelled with the module. Wolverine measures every handling on its meter
/// (<c>Wolverine:{ServiceName}</c>: <c>wolverine-execution-time</c> in milliseconds, <c>wolverine-messages-succeeded</c>,
/// <c>wolverine-execution-failure</c>, <c>wolverine-dead-letter-queue</c>), labelled with the message type and the
/// endpoint that received it, not the module. This listens to those instruments of this host's runtime and records
/// each measurement again with the module whose inbox the endpoint is (<see cref="ModuleInboxes"/>), in seconds; the
/// inbox, outbox and dead-letter depths are read from the envelope tables. See docs/adr/0025. It also keeps the last
/// minute of them in memory (<see cref="ModuleActivity"/>) for the operations console, exported or not (docs/adr/0039).
/// </summary>
public sealed class ModuleMessageMetrics : IHostedService, IDisposable
{
    public const string MeterName = ModuleMeter.NamePrefix + "Messaging";

    /// <summary>How long a read of the envelope tables serves scrapes: Prometheus and an OTLP reader, or several Prometheus, share one read.</summary>
    public static readonly TimeSpan DepthCacheTime = TimeSpan.FromSeconds(5);

    private const string MessageTypeLabel = "message.type";
    private const string ErrorTypeLabel = "error.type";

    /// <summary>
    /// One meter per process, never disposed. OpenTelemetry ends the metric stream of every meter of a name when any one
    /// of them is disposed (open-telemetry/opentelemetry-dotnet#6412), so a meter per host would go quiet in every host
    /// of the process as soon as one stopped (tests, and a module host beside its gateway, share a process). Each live
    /// host records into these instruments and answers the gauges for the modules it hosts.
    /// </summary>
    private static readonly Meter Meter = new(MeterName);

    private static readonly ConcurrentDictionary<ModuleMessageMetrics, bool> Live = new();

    private static readonly Counter<long> Handled =
        Meter.CreateCounter<long>("modular.messages.handled", "{message}", "Messages a module's handler handled successfully");

    private static readonly Counter<long> Failed =
        Meter.CreateCounter<long>("modular.messages.failed", "{message}", "Attempts at handling a message that threw (a retried message counts once per attempt)");

    private static readonly Counter<long> DeadLettered =
        Meter.CreateCounter<long>("modular.messages.dead_lettered", "{message}", "Messages a module gave up on and moved to its dead letters");

    private static readonly Histogram<double> Duration =
        Meter.CreateHistogram<double>("modular.message.handling.duration", "s", "How long a module's handler took to handle a message, per attempt");

    private readonly IWolverineRuntime _runtime;
    private readonly IServiceProvider _services;
    private readonly ModuleTopology _topology;
    private readonly TimeProvider _clock;
    private readonly ModuleActivity _activity;
    private readonly ConcurrentDictionary<string, string?> _moduleByEndpoint = new(StringComparer.Ordinal);
    private readonly Lock _depthLock = new();
    private MeterListener? _listener;
    private Task<Depths>? _depthRead;
    private DateTimeOffset _depthReadAt;

    static ModuleMessageMetrics()
    {
        Meter.CreateObservableGauge("modular.inbox.depth", () => OfLiveHosts(m => m.Depth(d => d.Inbox)), "{message}",
            "Messages waiting in a module's inbox (received, not yet handled)");
        Meter.CreateObservableGauge("modular.outbox.depth", () => OfLiveHosts(m => m.Depth(d => d.Outbox)), "{message}",
            "Messages in this process's outbox on their way to a module in another process (0 while every module is in one process)");
        Meter.CreateObservableGauge("modular.inbox.paused", () => OfLiveHosts(m => m.Paused()), "{listener}",
            "Listeners of a module's inbox not taking messages now: a circuit breaker (Payments' provider breaker) or back-pressure paused them");
        Meter.CreateObservableGauge("modular.dead_letters", () => OfLiveHosts(m => m.Depth(d => d.DeadLetters)), "{message}",
            "Messages in a module's dead letters now");
    }

    public ModuleMessageMetrics(IWolverineRuntime runtime, IServiceProvider services, ModuleTopology topology, TimeProvider clock, ModuleActivity activity)
    {
        _activity = activity;
        _runtime = runtime;
        _services = services;
        _topology = topology;
        _clock = clock;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new MeterListener
        {
            // Only this host's runtime: tests, and a module host beside a gateway, run several in one process.
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == _runtime.Meter && instrument.Name is MetricsConstants.ExecutionTime or MetricsConstants.MessagesSucceeded
                        or MetricsConstants.MessagesFailed or MetricsConstants.DeadLetterQueue)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => OnCount(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnDuration(value, tags));
        _listener.Start();
        Live[this] = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Live.TryRemove(this, out _);
        _listener?.Dispose();
        _listener = null;
    }

    /// <summary>
    /// Each module's figure summed over the live hosts of the process: one host in production; in tests a module may be
    /// hosted by several at once, and a gauge reported twice for one module would keep only the last.
    /// </summary>
    private static List<Measurement<long>> OfLiveHosts(Func<ModuleMessageMetrics, IEnumerable<Measurement<long>>> measure) =>
        Live.Keys.SelectMany(host => Safely(host, measure))
            .GroupBy(m => ModuleOf(m.Tags), StringComparer.Ordinal)
            .Select(g => new Measurement<long>(g.Sum(m => m.Value), new KeyValuePair<string, object?>(ModuleMeter.ModuleLabel, g.Key)))
            .ToList();

    /// <summary>One host's figures; none from a host whose services are being disposed, so the others' still go out.</summary>
    private static List<Measurement<long>> Safely(ModuleMessageMetrics host, Func<ModuleMessageMetrics, IEnumerable<Measurement<long>>> measure)
    {
        try
        {
            return measure(host).ToList();
        }
        catch (ObjectDisposedException)
        {
            return [];
        }
    }

    private static string ModuleOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == ModuleMeter.ModuleLabel)
            {
                return tag.Value as string ?? string.Empty;
            }
        }

        return string.Empty;
    }

    private void OnCount(Instrument instrument, int value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var (module, messageType, errorType) = Read(tags);
        if (module is null)
        {
            return;
        }

        switch (instrument.Name)
        {
            case MetricsConstants.MessagesSucceeded:
                Handled.Add(value, new(ModuleMeter.ModuleLabel, module), new(MessageTypeLabel, messageType));
                _activity.Handled(module, value);
                break;
            case MetricsConstants.MessagesFailed:
                Failed.Add(value, new(ModuleMeter.ModuleLabel, module), new(MessageTypeLabel, messageType), new(ErrorTypeLabel, errorType));
                _activity.Failed(module, value);
                break;
            case MetricsConstants.DeadLetterQueue:
                DeadLettered.Add(value, new(ModuleMeter.ModuleLabel, module), new(MessageTypeLabel, messageType));
                _activity.DeadLettered(module, value);
                break;
        }
    }

    private void OnDuration(double milliseconds, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var (module, messageType, _) = Read(tags);
        if (module is not null)
        {
            Duration.Record(milliseconds / 1000, new(ModuleMeter.ModuleLabel, module), new(MessageTypeLabel, messageType));
            _activity.HandlingTook(module, TimeSpan.FromMilliseconds(milliseconds));
        }
    }

    private (string? Module, string? MessageType, string? ErrorType) Read(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? destination = null, messageType = null, errorType = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case MetricsConstants.MessageDestinationKey:
                    destination = tag.Value as string;
                    break;
                case MetricsConstants.MessageTypeKey:
                    messageType = tag.Value as string;
                    break;
                case MetricsConstants.ExceptionType:
                    errorType = tag.Value as string;
                    break;
            }
        }

        return (destination is null ? null : _moduleByEndpoint.GetOrAdd(destination, ModuleOfEndpoint), messageType, errorType);
    }

    private string? ModuleOfEndpoint(string endpoint) => _services.GetRequiredService<ModuleInboxes>().ModuleOf(endpoint)?.Name;

    private IEnumerable<Measurement<long>> Paused()
    {
        var paused = _services.GetRequiredService<ModuleInboxes>().PausedListeners(_runtime);
        return _topology.Hosted.Select(m => new Measurement<long>(
            paused.GetValueOrDefault(m.Name), new KeyValuePair<string, object?>(ModuleMeter.ModuleLabel, m.Name)));
    }

    private IEnumerable<Measurement<long>> Depth(Func<Depths, IReadOnlyDictionary<string, long>> figure)
    {
        var depths = CurrentDepths();
        return depths is null
            ? []
            : figure(depths).Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>(ModuleMeter.ModuleLabel, d.Key)));
    }

    /// <summary>
    /// The last read when it is fresh; otherwise a new one, waited for briefly (a gauge is read synchronously), else the
    /// last one again. A database that does not answer leaves the gauges out rather than stall the scrape.
    /// </summary>
    private Depths? CurrentDepths()
    {
        Task<Depths> read;
        lock (_depthLock)
        {
            if (_depthRead is null || (_depthRead.IsCompleted && _clock.GetUtcNow() - _depthReadAt > DepthCacheTime))
            {
                var previous = _depthRead;
                _depthReadAt = _clock.GetUtcNow();
                _depthRead = ReadDepthsAsync(previous);
            }

            read = _depthRead;
        }

        return read.Wait(TimeSpan.FromSeconds(2)) ? read.Result : null;
    }

    private async Task<Depths> ReadDepthsAsync(Task<Depths>? previous)
    {
        try
        {
            var figures = await _services.GetRequiredService<ModuleMessageFiguresReader>().ReadAsync();
            var inbox = _topology.Hosted.ToDictionary(m => m.Name, m => (long)(figures.GetValueOrDefault(m)?.Waiting ?? 0));
            var deadLetters = _topology.Hosted.ToDictionary(m => m.Name, m => (long)(figures.GetValueOrDefault(m)?.DeadLetters ?? 0));
            return new Depths(inbox, await OutboxAsync(), deadLetters);
        }
#pragma warning disable CA1031 // A scrape must not fail because the database is away: the last figures stand, and readiness reports the outage.
        catch (Exception)
#pragma warning restore CA1031
        {
            return previous is { IsCompletedSuccessfully: true } ? previous.Result : Depths.Empty;
        }
    }

    /// <summary>Outgoing envelopes by the module whose inbox they are addressed to (the queue named after it, whatever the transport).</summary>
    private async Task<IReadOnlyDictionary<string, long>> OutboxAsync()
    {
        var outbox = _topology.Catalog.ToDictionary(m => m.Name, _ => 0L);
        if (!_topology.IsSplit || _services.GetRequiredService<IMessageStore>() is not IMessageDatabase database)
        {
            return outbox;
        }

        await using var command = database.DataSource.CreateCommand(
            $"select destination, count(*) from {database.SchemaName}.wolverine_outgoing_envelopes group by destination");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var destination = new Uri(reader.GetString(0));
            var segments = new[] { destination.Host }.Concat(destination.Segments.Select(s => s.Trim('/')));
            if (_topology.Catalog.FirstOrDefault(m => segments.Contains(ModuleTopology.InboxOf(m), StringComparer.OrdinalIgnoreCase)) is { } module)
            {
                outbox[module.Name] = outbox.GetValueOrDefault(module.Name) + reader.GetInt64(1);
            }
        }

        return outbox;
    }

    private sealed record Depths(IReadOnlyDictionary<string, long> Inbox, IReadOnlyDictionary<string, long> Outbox, IReadOnlyDictionary<string, long> DeadLetters)
    {
        public static readonly Depths Empty = new(new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>());
    }
}
