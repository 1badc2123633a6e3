using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.Runtime.Routing;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>
/// Routes every message from the module catalog rather than from Wolverine's conventions: each module receives its
/// messages in one durable inbox named after it, and a message goes to the inbox of every module that handles it.
/// See docs/adr/0009.
/// </summary>
public static class ModuleRouting
{
    public static void RouteByModuleCatalog(this WolverineOptions options, ModuleTopology topology, ModuleSettings settings)
    {
        foreach (var module in topology.Hosted)
        {
            var inbox = options.LocalQueue(ModuleTopology.InboxOf(module)).UseDurableInbox().Endpoint;

            // An event two modules handle is two handler chains; sticking each module's handlers to its own inbox
            // makes each module handle, fail and retry its copy on its own.
            inbox.StickyHandlers.AddRange(ModuleConventions.HandlerTypes(module.Assembly));
            module.ConfigureInbox(inbox, settings);
        }

        // An explicit route replaces Wolverine's local routing for that message type, so no message reaches a handler
        // of a module this process does not host, even when pre-generated code carries that handler.
        foreach (var handling in topology.Handling.Where(h => topology.IsHosted(h.Handler)))
        {
            options.LocalQueue(ModuleTopology.InboxOf(handling.Handler)).Endpoint.Subscriptions.Add(Subscription.ForType(handling.MessageType));
        }
    }
}
