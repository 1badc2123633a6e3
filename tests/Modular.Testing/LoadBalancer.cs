using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Modular.Testing;

/// <summary>
/// One address in front of the replicas of a process, as a Kubernetes Service is: requests go round robin to the replicas
/// whose <c>/health/ready</c> answered 200 at the last check, every half second (YARP's active health checks). As a
/// Service drops a dead pod's endpoint, <see cref="Serve"/> drops a killed replica: its port may soon belong to another
/// test's process, which answers for another system.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private static readonly RouteConfig[] Routes = [new RouteConfig { RouteId = "all", ClusterId = "replicas", Match = new RouteMatch { Path = "{**path}" } }];

    private readonly WebApplication _app;

    private LoadBalancer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public static async Task<LoadBalancer> StartAsync(IEnumerable<Uri> replicas)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(Routes, [Cluster(replicas)]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new LoadBalancer(app) { Address = new Uri(app.Urls.First()) };
    }

    /// <summary>From now on, only these replicas.</summary>
    public void Serve(IEnumerable<Uri> replicas) => _app.Services.GetRequiredService<InMemoryConfigProvider>().Update(Routes, [Cluster(replicas)]);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static ClusterConfig Cluster(IEnumerable<Uri> replicas) =>
                new ClusterConfig
                {
                    ClusterId = "replicas",
                    LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                    Destinations = replicas.Select((uri, i) => (uri, i)).ToDictionary(r => $"replica-{r.i}", r => new DestinationConfig { Address = r.uri.ToString() }),
                    HealthCheck = new HealthCheckConfig
                    {
                        Active = new ActiveHealthCheckConfig
                        {
                            Enabled = true,
                            Interval = TimeSpan.FromMilliseconds(500),
                            Timeout = TimeSpan.FromSeconds(2),
                            Policy = "ConsecutiveFailures",
                            Path = "/health/ready",
                        },
                        // One failed check takes a replica out (the default waits for two).
                        AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
                    },
                    Metadata = new Dictionary<string, string> { [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = "1" },
                };
}
