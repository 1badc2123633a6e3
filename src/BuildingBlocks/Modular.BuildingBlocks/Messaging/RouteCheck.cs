using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;
using Wolverine.Runtime;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>
/// Fails start-up when a message that a hosted module can send would miss a module that handles it. Wolverine itself
/// drops a message without routes with only an Information log line. See docs/adr/0007.
/// </summary>
/// <remarks>
/// A contract message that no module in the catalog handles (an event nobody subscribes to yet) has nowhere to go
/// and is reported as a warning, not an error: publishing it is not a loss.
/// </remarks>
public sealed class RouteCheck(IWolverineRuntime runtime, ModuleTopology topology, ILogger<RouteCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
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

    private bool IsRouted(MessageHandling handling)
    {
        var inbox = ModuleTopology.InboxOf(handling.Handler);
        var routes = runtime.RoutingFor(handling.MessageType).Routes.Select(r => r.Describe().Endpoint).ToList();
        // postgresql://inventory/ or rabbitmq://queue/inventory: the module's inbox is the last name of the address.
        return routes.Any(uri => (uri.Scheme == "local") == topology.IsHosted(handling.Handler)
                                 && (uri.Host == inbox || uri.AbsolutePath.Trim('/').Split('/')[^1] == inbox));
    }
}
