using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Operations;
using Wolverine.Http;
using Yarp.ReverseProxy.Configuration;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>
/// Makes this process the single entry point of the API: the HTTP routes of modules hosted elsewhere are forwarded to
/// the process that hosts them (<c>Modular:RemoteUrls</c>), with YARP, and their health shows in <c>/health/ready</c>.
/// See docs/adr/0012.
/// </summary>
public static class ModuleGateway
{
    public const string ReadyTag = "ready";

    /// <summary>
    /// Whether this process answers the routes of <paramref name="module"/>'s endpoints: it hosts the module or forwards
    /// to it. Null is the platform's own endpoints (health, <c>/api/modules</c>).
    /// </summary>
    public static bool AnswersRoutesOf(IModule? module, ModuleTopology topology, ModularOptions settings) =>
        module is null || topology.IsHosted(module) || settings.RemoteUrls.ContainsKey(module.Name);

    /// <summary>The module whose endpoint <paramref name="metadata"/> describes; null for endpoints that are not a module's.</summary>
    public static IModule? ModuleOf(IEnumerable<object> metadata, ModuleTopology topology) =>
        metadata.OfType<HttpChain>().FirstOrDefault() is { } chain
            ? topology.Catalog.FirstOrDefault(m => m.Assembly == chain.Method.HandlerType.Assembly)
            : null;

    public static IServiceCollection AddModuleGateway(this IServiceCollection services, ModuleTopology topology, ModularOptions settings)
    {
        // Pre-generated code carries every module's endpoints; only hosted modules may answer here.
        services.AddSingleton<MatcherPolicy>(new HostedModulesOnlyPolicy(topology));

        var remotes = topology.Catalog
            .Where(m => !topology.IsHosted(m) && settings.RemoteUrls.ContainsKey(m.Name))
            .Select(m => (Module: m, Url: settings.RemoteUrls[m.Name]))
            .ToList();
        var unknown = settings.RemoteUrls.Keys.Where(name => !topology.Catalog.Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"Configuration '{ModularOptions.SectionName}:RemoteUrls' names unknown modules: {string.Join(", ", unknown)}. " +
                $"Known modules: {string.Join(", ", topology.Catalog.Select(m => m.Name))}.");
        }

        var routes = remotes.SelectMany(r => ModuleConventions.HttpRoutes(r.Module.Assembly).Select((route, i) => new RouteConfig
        {
            RouteId = $"{r.Module.Name}-{i}",
            ClusterId = r.Module.Name,
            Match = new RouteMatch { Path = route.Template, Methods = [route.Method] },
        })).Concat(remotes.Select(r => DeadLetterEndpoints.ForwardingRoute(r.Module))).ToList();
        var clusters = remotes.Select(r => new ClusterConfig
        {
            ClusterId = r.Module.Name,
            Destinations = new Dictionary<string, DestinationConfig> { ["host"] = new() { Address = r.Url.ToString() } },
        }).ToList();
        services.AddReverseProxy().LoadFromMemory(routes, clusters);

        // A remote module that is down degrades this process rather than failing it: its own modules still serve, and
        // messages for the remote one wait in the outbox until it is back.
        var health = services.AddHealthChecks();
        foreach (var (module, url) in remotes)
        {
            health.AddUrlGroup(new Uri(url, "/health/ready"), name: $"module:{module.Name}", failureStatus: HealthStatus.Degraded,
                tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        }

        return services;
    }

    /// <summary>
    /// Rules out endpoints of modules this process does not host, so their routes fall through to the gateway's
    /// forwarding (or to 404 where there is none) instead of running a handler whose module is not here.
    /// </summary>
    private sealed class HostedModulesOnlyPolicy(ModuleTopology topology) : MatcherPolicy, IEndpointSelectorPolicy
    {
        public override int Order => 0;

        public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Any(IsOfModuleHostedElsewhere);

        public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                if (IsOfModuleHostedElsewhere(candidates[i].Endpoint))
                {
                    candidates.SetValidity(i, false);
                }
            }

            return Task.CompletedTask;
        }

        private bool IsOfModuleHostedElsewhere(Endpoint endpoint) =>
            ModuleOf(endpoint.Metadata, topology) is { } module && !topology.IsHosted(module);
    }
}
