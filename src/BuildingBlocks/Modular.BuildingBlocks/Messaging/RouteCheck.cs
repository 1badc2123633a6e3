using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;
using Wolverine.Runtime;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>
/// Fails start-up when a message that a hosted module can send would miss a module that handles it (Wolverine itself
/// drops a message without routes with only an Information log line; docs/adr/0007), and when Wolverine's handler graph
/// holds a handler of a hosted module that the catalog's routing does not know of (docs/adr/0036).
/// </summary>
/// <remarks>
/// A contract message that no module in the catalog handles (an event nobody subscribes to yet) has nowhere to go
/// and is reported as a warning, not an error: publishing it is not a loss.
/// </remarks>
public sealed class RouteCheck(IWolverineRuntime runtime, ModuleTopology topology, ILogger<RouteCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureRoutingKnowsEveryHandler();
        var missing = new List<string>();
        foreach (var handling in topology.Handling)
        {
            var senders = topology.Hosted.Where(m => ModuleTopology.CanSend(m, handling.MessageType)).ToList();
            if (senders.Count == 0 || IsRouted(handling))
            {
                continue;
            }

            var owner = topology.Catalog.FirstOrDefault(m => m.ContractsAssembly == handling.MessageType.Assembly || m.Assembly == handling.MessageType.Assembly);
            missing.Add($"{handling.MessageType.FullName} (owned by {owner?.Name ?? "no module"}, sent by {string.Join(", ", senders.Select(s => s.Name))}) " +
                        $"is handled by {handling.Handler.Name}, " +
                        (topology.IsHosted(handling.Handler)
                            ? "which this process hosts, but no route leads to its inbox"
                            : "which this process does not host, and no transport route leads to it"));
        }

        var unsubscribed = topology.Hosted
            .SelectMany(m => ModuleConventions.ContractMessageTypes(m.ContractsAssembly))
            .Where(type => topology.Handling.All(h => h.MessageType != type))
            .Select(type => type.Name)
            .ToList();
        if (unsubscribed.Count > 0)
        {
            logger.LogWarning("No module handles these contract messages yet; publishing them delivers nothing: {Messages}",
                string.Join(", ", unsubscribed));
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                "Messages would be dropped for lack of a route:" + Environment.NewLine + "- " +
                string.Join(Environment.NewLine + "- ", missing) + Environment.NewLine +
                $"Host the handling module here (configuration '{ModularOptions.SectionName}:Modules') or route its messages to the process that hosts it.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Routing reads what each module handles from its assembly (<see cref="ModuleConventions"/>), because it must know
    /// that of modules in other processes too; here, where the module runs, Wolverine's handler graph says what it found.
    /// A handler found another way (registered by type, say) would receive nothing from other processes.
    /// </summary>
    private void EnsureRoutingKnowsEveryHandler()
    {
        // The handler graph is public on the runtime class only.
        var discovered = ((WolverineRuntime)runtime).Handlers.AllChains()
            .SelectMany(chain => chain.Handlers.Select(handler => (chain.MessageType, handler.HandlerType)))
            .Distinct();
        var unknown = new List<string>();
        foreach (var (messageType, handlerType) in discovered)
        {
            var module = topology.Hosted.FirstOrDefault(m => m.Assembly == handlerType.Assembly);
            if (module is not null && !topology.Handling.Any(h => h.Handler == module && h.MessageType == messageType))
            {
                unknown.Add($"{handlerType.FullName} handles {messageType.FullName} in module {module.Name}");
            }
        }

        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                "Wolverine found handlers that the module catalog's routing does not know of, so no message from another process would reach them:" +
                Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", unknown) + Environment.NewLine +
                "Name the handler class *Handler or *Consumer (or mark it [WolverineHandler]) and its method Handle or Consume, " +
                "as Wolverine's conventional discovery does.");
        }
    }

    private bool IsRouted(MessageHandling handling)
    {
        var inbox = ModuleTopology.InboxOf(handling.Handler);
        var routes = runtime.RoutingFor(handling.MessageType).Routes.Select(r => r.Describe().Endpoint).ToList();
        // postgresql://inventory/ or rabbitmq://queue/inventory: the module's inbox is the last name of the address.
        return routes.Any(uri => (uri.Scheme == "local") == topology.IsHosted(handling.Handler)
                                 && (uri.Host == inbox || uri.AbsolutePath.Trim('/').Split('/')[^1] == inbox));
    }
}
