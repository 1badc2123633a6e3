using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.Postgresql;
using Wolverine.RabbitMQ;
using Wolverine.Runtime.Routing;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>
/// Routes every message from the module catalog rather than from Wolverine's conventions: each module receives its
/// messages in an inbox named after it, and a message goes to the inbox of every module that handles it: a local
/// queue when that module is hosted here, a transport queue when another process hosts it. See docs/adr/0009, 0012.
/// </summary>
public static class ModuleRouting
{
    /// <summary>
    /// The PostgreSQL transport polls its queue tables. Wolverine's defaults (20 messages a poll) carry about 4
    /// messages a second; these carry thousands with a latency of a poll or two.
    /// </summary>
    private static readonly TimeSpan PollingInterval = TimeSpan.FromMilliseconds(100);

    private const int MessagesPerPoll = 100;

    /// <summary>
    /// How many messages each module inbox handles at once: one per slot, a message group always in the same slot
    /// (<see cref="MessageGrouping"/>). Wolverine's default of one per core (2 here) left orders queueing behind each
    /// other for seconds under load, while PostgreSQL had time to spare. See docs/adr/0031.
    /// </summary>
    public const PartitionSlots InboxSlots = PartitionSlots.Nine;

    public static void RouteByModuleCatalog(this WolverineOptions options, ModuleTopology topology, ModuleSettings settings, ModuleTransport transport)
    {
        var grouping = new MessageGrouping();
        foreach (var module in topology.Catalog)
        {
            module.GroupMessages(grouping);
        }

        options.MessagePartitioning.ByRule(grouping);

        foreach (var module in topology.Hosted)
        {
            var inbox = ModuleTopology.InboxOf(module);
            Configure(options.LocalQueue(inbox).UseDurableInbox().Endpoint, module, settings);

            // Messages from modules in other processes arrive on the transport queue of the same name.
            var remoteInbox = transport switch
            {
                ModuleTransport.PostgreSQL => options.ListenToPostgresqlQueue(inbox)
                    .PollingInterval(PollingInterval).MaximumMessagesToReceive(MessagesPerPoll)
                    .UseDurableInbox().Named($"{inbox}-postgresql").Endpoint,
                ModuleTransport.RabbitMQ => options.ListenToRabbitQueue(inbox).UseDurableInbox().Named($"{inbox}-rabbitmq").Endpoint,
                _ => null,
            };
            if (remoteInbox is not null)
            {
                Configure(remoteInbox, module, settings);
            }
        }

        // An explicit route replaces Wolverine's local routing for that message type, so no message reaches a handler
        // of a module this process does not host, even when pre-generated code carries that handler.
        foreach (var handling in topology.Handling.Where(h => topology.IsHosted(h.Handler)))
        {
            options.LocalQueue(ModuleTopology.InboxOf(handling.Handler)).Endpoint.Subscriptions.Add(Subscription.ForType(handling.MessageType));
        }

        if (transport == ModuleTransport.None)
        {
            return;
        }

        foreach (var remote in topology.Handling.Where(h => !topology.IsHosted(h.Handler)).GroupBy(h => h.Handler))
        {
            var inbox = ModuleTopology.InboxOf(remote.Key);
            options.Publish(rule =>
            {
                foreach (var handling in remote)
                {
                    rule.Message(handling.MessageType);
                }

                // Written to this process's outbox in the sender's transaction, sent after its commit.
                if (transport == ModuleTransport.PostgreSQL)
                {
                    rule.ToPostgresqlQueue(inbox).UseDurableOutbox();
                }
                else
                {
                    rule.ToRabbitQueue(inbox).UseDurableOutbox();
                }
            });
        }
    }

    /// <summary>A module's handlers stick to each of its inboxes, which the module may tune (Payments: a circuit breaker).</summary>
    private static void Configure(Endpoint inbox, IModule module, ModuleSettings settings)
    {
        // An event two modules handle is two handler chains; sticking each module's handlers to its own inbox
        // makes each module handle, fail and retry its copy on its own.
        inbox.StickyHandlers.AddRange(ModuleConventions.HandlerTypes(module.Assembly));
        inbox.GroupShardingSlotNumber = InboxSlots;
        module.ConfigureInbox(inbox, settings);
    }
}
