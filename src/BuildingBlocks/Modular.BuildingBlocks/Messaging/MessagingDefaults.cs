using FluentValidation;
using JasperFx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Logging;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Validation;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Postgresql;
using Wolverine.RabbitMQ;
using Wolverine.Runtime;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>The Wolverine settings every Modular process shares. Each line is a decision; see docs/adr/0003 and 0012.</summary>
public static class MessagingDefaults
{
    /// <summary>The schema of the envelope tables (inbox, outbox, dead letters, nodes) of a process hosting every module.</summary>
    public const string EnvelopeSchema = "wolverine";

    /// <summary>The schema of the PostgreSQL transport's queue tables, shared by every process.</summary>
    public const string QueueSchema = "wolverine_queues";

    public const string RabbitMqConnectionStringName = "RabbitMq";

    /// <summary>Below this, the clock restarts of the messages a process holds would be a stream of writes.</summary>
    private static readonly TimeSpan MinimumInboxStaleTime = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a stopping host waits for the handlers in flight (30 s by default): within the host's
    /// <see cref="ModularHostExtensions.ShutdownTimeout"/>, leaving time for the web server's drain before it and for
    /// releasing the inbox after it. A handler still running then is not waited for: if the process ends before it commits,
    /// its message is handled again after restart, which every handler's idempotency absorbs.
    /// </summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// <c>wolverine</c> for a process hosting every module; otherwise one schema per deployment shape, so that two
    /// processes never share envelope tables (each recovers only its own messages after a crash).
    /// </summary>
    public static string EnvelopeSchemaFor(ModuleTopology topology, ModularOptions settings) =>
        !string.IsNullOrWhiteSpace(settings.EnvelopeSchema) ? settings.EnvelopeSchema
        : topology.IsSplit ? EnvelopeSchema + "_" + string.Join("_", topology.Hosted.Select(ModuleTopology.InboxOf))
        : EnvelopeSchema;

    /// <summary>
    /// Wolverine's defaults take a dead replica's messages over after about 78 s (measured: a 60 s stale-node timeout, a
    /// health check every 10 s, ejection after two stale checks, then the next recovery poll). Replicas report every
    /// second and are taken for dead after <paramref name="replicaTimeout"/>; recovery then polls every second. Costs
    /// a few small queries per replica per second. See docs/adr/0026.
    /// </summary>
    private static void ApplyReplicaTimings(this DurabilitySettings durability, TimeSpan replicaTimeout)
    {
        var minimum = TimeSpan.FromSeconds(3);
        durability.StaleNodeTimeout = replicaTimeout >= minimum
            ? replicaTimeout
            : throw new InvalidOperationException($"'{ModularOptions.SectionName}:ReplicaTimeout' is {replicaTimeout}; it must be at least {minimum}.");
        durability.HealthCheckPollingTime = TimeSpan.FromSeconds(1);
        durability.FirstHealthCheckExecution = TimeSpan.FromSeconds(1);
        durability.StaleNodeEjectionThreshold = 2;
        durability.ScheduledJobFirstExecution = TimeSpan.FromMilliseconds(500);
        durability.OrphanedMessageSweepPollingTime = TimeSpan.FromSeconds(2);
    }

    /// <summary>The transport this process uses: none when it hosts every module.</summary>
    public static ModuleTransport TransportFor(ModuleTopology topology, ModularOptions settings) =>
        topology.IsSplit ? settings.Transport : ModuleTransport.None;

    public static void ApplyModularDefaults(this WolverineOptions options, ModuleSettings moduleSettings, ModularOptions settings, ModuleTopology topology)
    {
        // One shared set of envelope tables per process: with one set per module store, a message crossing from one
        // store's handler to another's stays "Incoming" in the sender's schema and is handled again after every
        // restart (tests/Modules/Catalog: Restarting_the_host_handles_no_message_twice).
        var transport = TransportFor(topology, settings);
        if (transport == ModuleTransport.PostgreSQL)
        {
            options.UsePostgresqlPersistenceAndTransport(moduleSettings.Database.Messaging, moduleSettings.EnvelopeSchema, QueueSchema);
        }
        else
        {
            options.PersistMessagesWithPostgresql(moduleSettings.Database.Messaging, moduleSettings.EnvelopeSchema);
        }

        if (moduleSettings.Database.UsesRoles)
        {
            // The messaging role may read and write the envelope and queue tables, not change them: that is resources setup's work.
            options.AutoBuildMessageStorageOnStartup = AutoCreate.None;
        }

        if (transport == ModuleTransport.RabbitMQ)
        {
            // The durable outbox deletes a message once its publish returns. Without publisher confirms a publish returns
            // when the bytes leave the socket: a broker restart then lost messages that no outbox or inbox held
            // (tests/Modular.EndToEndTests: OutageTests). With them it returns once the broker has the message.
            options.UseRabbitMq(RabbitMqUri(moduleSettings)).AutoProvision()
                .ConfigureChannelCreation(channel =>
                {
                    channel.PublisherConfirmationsEnabled = true;
                    channel.PublisherConfirmationTrackingEnabled = true;
                });
        }

        options.Durability.MessageStorageSchemaName = moduleSettings.EnvelopeSchema;

        // A rescheduled message (a lost optimistic-concurrency race, a provider retry, an order deadline) waits in the inbox
        // for this poll: Wolverine's 5 s made a 50 ms retry take 5 s. One small indexed query four times a second.
        options.Durability.ScheduledJobPollingTime = ScheduledPollingTime;
        options.Durability.Mode = settings.Durability;
        options.Durability.DrainTimeout = DrainTimeout;
        if (settings.Durability == DurabilityMode.Balanced)
        {
            options.Durability.ApplyReplicaTimings(settings.ReplicaTimeout);
        }

        // Off by default in Wolverine; without it a message stranded behind a paused inbox waits for a restart.
        options.Durability.InboxStaleTime = settings.InboxStaleTime >= MinimumInboxStaleTime
            ? settings.InboxStaleTime
            : throw new InvalidOperationException(
                $"'{ModularOptions.SectionName}:InboxStaleTime' is {settings.InboxStaleTime}; it must be at least {MinimumInboxStaleTime}.");

        // Decided before any data exists: it changes the inbox key. The same message delivered to two
        // modules' handlers is two inbox rows, so each module's idempotency is its own.
        options.Durability.MessageIdentity = MessageIdentity.IdAndDestination;

        // Each module's handler for an event runs, fails and retries on its own.
        options.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
        options.Policies.UseDurableLocalQueues();
        options.Policies.AutoApplyTransactions();

        // The caller's subject travels on every envelope a request causes, across processes, and Marten records it
        // on the events and documents those handlers write (an order's timeline names who did what).
        options.EnableRelayOfUserName = true;

        options.Policies.Add<ValidationPolicy>();
        options.Policies.Add(new ModuleLogScopePolicy(topology.Hosted));

        // Wolverine logs every failed attempt, retried ones too, at Error by default: a lost optimistic-concurrency race
        // would read as an error. A message that runs out of retries is logged at Error as it moves to the dead letters.
        options.Policies.MessageFailureLogLevel(LogLevel.Warning);

        // An invalid message will be as invalid on the next attempt.
        options.OnException<ValidationException>().MoveToErrorQueue();

        // Optimistic concurrency (a document or an event stream changed, or was created, since it was read) is settled
        // by reading again. Messages that touch the same thing are mostly grouped into one inbox slot (MessageGrouping),
        // so a conflict is rare: retried at once, twice, then rescheduled, giving the slot to the next message while it
        // waits, rather than holding it through a back-off. Each lost race is one line at Debug (docs/adr/0031).
        options.OnException<ConcurrencyException>().Or<DocumentAlreadyExistsException>()
            .CustomActionIndefinitely(RetryTheLostRaceAsync,
                $"retry at once {ImmediateConflictRetries} times, then after {string.Join(", ", ConflictRetryDelays.Select(d => d.TotalMilliseconds + " ms"))}; then the dead letters");

        // A database that cannot be reached fails every message alike, and moving one to the dead letters needs the
        // database too: with Wolverine's default (three attempts, then the dead letters) a 20 s outage left orders
        // stranded (tests/Modular.EndToEndTests: OutageTests). Hold the message and wait, for as long as the outage
        // lasts, without using up the attempts that the other failure rules count; the inbox keeps it across a restart.
        options.OnException(DatabaseOutage.IsCause, "PostgreSQL cannot be reached")
            .CustomActionIndefinitely(RetryOnceTheDatabaseMayBeBackAsync, $"retry every {DatabaseRetryPause.TotalSeconds} s until PostgreSQL answers, attempts not counted");

        foreach (var module in topology.Hosted)
        {
            module.ConfigureMessaging(options, moduleSettings);
        }

        options.RouteByModuleCatalog(topology, moduleSettings, transport);
    }

    /// <summary>How often the inbox's scheduled messages are looked for: the resolution of every delay.</summary>
    public static readonly TimeSpan ScheduledPollingTime = TimeSpan.FromMilliseconds(250);

    private const int ImmediateConflictRetries = 2;

    private static readonly TimeSpan[] ConflictRetryDelays =
    [
        TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500),
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8),
        TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30),
    ];

    private static async ValueTask RetryTheLostRaceAsync(IWolverineRuntime runtime, IEnvelopeLifecycle lifecycle, Exception conflict)
    {
        var envelope = lifecycle.Envelope!;
        var retry = envelope.Attempts - ImmediateConflictRetries;
        if (retry > ConflictRetryDelays.Length)
        {
            // Wolverine logs the move to the dead letters at Error, with the conflict.
            await lifecycle.MoveToDeadLetterQueueAsync(conflict);
            return;
        }

        var delay = retry <= 0 ? TimeSpan.Zero : ConflictRetryDelays[retry - 1];
        runtime.LoggerFactory.CreateLogger(typeof(MessagingDefaults)).LogDebug(
            "{MessageType} {MessageId} lost an optimistic-concurrency race on attempt {Attempt} ({Conflict}); retried in {RetryDelay} ms",
            envelope.MessageType, envelope.Id, envelope.Attempts, conflict.Message, delay.TotalMilliseconds);
        if (delay == TimeSpan.Zero)
        {
            await lifecycle.RetryExecutionNowAsync();
        }
        else
        {
            await lifecycle.ReScheduleAsync(DateTimeOffset.UtcNow + delay);
        }
    }

    /// <summary>How long a message waits between attempts while PostgreSQL cannot be reached.</summary>
    public static readonly TimeSpan DatabaseRetryPause = TimeSpan.FromSeconds(2);

    private static async ValueTask RetryOnceTheDatabaseMayBeBackAsync(IWolverineRuntime runtime, IEnvelopeLifecycle lifecycle, Exception _)
    {
        var stopping = runtime.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await Task.Delay(DatabaseRetryPause, stopping);
        }
        catch (OperationCanceledException)
        {
            // The host stops: leave the message unsettled in the inbox, where the next start finds it.
            return;
        }

        // The retry counts itself as an attempt again: an outage must not bring a message closer to the dead letters, nor
        // Payments closer to giving up on its provider.
        lifecycle.Envelope!.Attempts--;
        await lifecycle.RetryExecutionNowAsync();
    }

    private static Uri RabbitMqUri(ModuleSettings settings) =>
        Uri.TryCreate(settings.Configuration.GetConnectionString(RabbitMqConnectionStringName), UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException(
                $"'{ModularOptions.SectionName}:Transport' is RabbitMQ but 'ConnectionStrings:{RabbitMqConnectionStringName}' " +
                $"(environment variable ConnectionStrings__{RabbitMqConnectionStringName}) is not an AMQP URI such as amqp://guest:guest@localhost:5672.");
}
