using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;
using Wolverine.Runtime;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>
/// Fails start-up when a module's contract message could be sent or published but would reach no module that
/// handles it. Wolverine itself drops a message without routes with only an Information log line.
/// </summary>
/// <remarks>
/// A contract message that no module in the catalog handles (an event nobody subscribes to yet) has nowhere
/// to go and is reported as a warning, not an error: publishing it is not a loss.
/// </remarks>
public sealed class RouteCheck(IWolverineRuntime runtime, ModuleTopology topology, ILogger<RouteCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var handlersByModule = topology.Catalog.ToDictionary(m => m, m => ModuleConventions.HandledMessageTypes(m.Assembly));
        var missing = new List<string>();
        var unsubscribed = new List<string>();

        foreach (var owner in topology.Hosted)
        {
            foreach (var messageType in ModuleConventions.ContractMessageTypes(owner.ContractsAssembly))
            {
                var handlers = handlersByModule.Where(p => p.Value.Contains(messageType)).Select(p => p.Key).ToList();
                if (handlers.Count == 0)
                {
                    unsubscribed.Add(messageType.Name);
                    continue;
                }

                var routes = runtime.RoutingFor(messageType).Routes.Select(r => r.Describe().Endpoint).ToList();
                foreach (var handler in handlers.Where(h => !IsReachable(h, routes)))
                {
                    missing.Add($"{messageType.FullName} (owned by {owner.Name}) is handled by {handler.Name}, " +
                                $"which this process does not host, and no transport route leads to it");
                }
            }
        }

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

    private bool IsReachable(IModule handler, IReadOnlyCollection<Uri> routes) =>
        topology.IsHosted(handler)
            ? routes.Any(uri => uri.Scheme == "local")
            : routes.Any(uri => uri.Scheme != "local");
}
