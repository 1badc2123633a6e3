using FluentValidation;
using JasperFx;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Logging;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Validation;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Postgresql;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>The Wolverine settings every Modular process shares. Each line is a decision; see docs/adr/0003.</summary>
public static class MessagingDefaults
{
    /// <summary>The one schema holding Wolverine's envelope tables (inbox, outbox, dead letters, nodes).</summary>
    public const string EnvelopeSchema = "wolverine";

    public static void ApplyModularDefaults(this WolverineOptions options, ModuleSettings moduleSettings, ModularOptions settings, ModuleTopology topology)
    {
        // One shared set of envelope tables: with one set per module store, a message crossing from one
        // store's handler to another's stays "Incoming" in the sender's schema and is handled again after
        // every restart (tests/Modular.Host.Tests: Restarting_the_host_handles_no_message_twice).
        options.PersistMessagesWithPostgresql(moduleSettings.ConnectionString, EnvelopeSchema);
        options.Durability.MessageStorageSchemaName = EnvelopeSchema;
        options.Durability.Mode = settings.Durability;

        // Decided before any data exists: it changes the inbox key. The same message delivered to two
        // modules' handlers is two inbox rows, so each module's idempotency is its own.
        options.Durability.MessageIdentity = MessageIdentity.IdAndDestination;

        // Each module's handler for an event runs, fails and retries on its own.
        options.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
        options.Policies.UseDurableLocalQueues();
        options.Policies.AutoApplyTransactions();

        options.Policies.Add<ValidationPolicy>();
        options.Policies.Add(new ModuleLogScopePolicy(topology.Hosted));

        // An invalid message will be as invalid on the next attempt.
        options.OnException<ValidationException>().MoveToErrorQueue();

        // Optimistic concurrency (a document or an event stream changed, or was created, since it was read) is
        // settled by reading again. Each conflict means another message's write won, so under a burst on one item
        // (many orders for the last units) a message can lose several times in a row: retry soon and often.
        options.OnException<ConcurrencyException>().Or<DocumentAlreadyExistsException>()
            .RetryWithCooldown(
                TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20),
                TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(160),
                TimeSpan.FromMilliseconds(320), TimeSpan.FromMilliseconds(640))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4),
                TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));

        foreach (var module in topology.Hosted)
        {
            module.ConfigureMessaging(options);
        }

        options.RouteByModuleCatalog(topology, moduleSettings);
    }
}
