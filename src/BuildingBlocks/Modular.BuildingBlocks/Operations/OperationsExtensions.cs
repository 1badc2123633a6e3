using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modular.BuildingBlocks.Hosting;

namespace Modular.BuildingBlocks.Operations;

public static class OperationsExtensions
{
    /// <summary>The dead-letter operations (HTTP and command line), the console's live figures and a readiness check per hosted module.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services, ModuleTopology topology, ModularOptions settings)
    {
        services.AddSingleton<ModuleInboxes>();
        services.AddSingleton<DeadLetterOperations>();
        services.AddSingleton<ModuleMessageFiguresReader>();
        services.AddSingleton<ModuleActivity>();
        services.AddHttpClient(ActivityEndpoint.RemoteClient);

        var health = services.AddHealthChecks();
        foreach (var module in topology.Hosted)
        {
            // A check that cannot read the figures degrades the module; the postgresql check says whether the database is down.
            health.Add(new HealthCheckRegistration($"module:{module.Name}",
                provider => new ModuleMessagesHealthCheck(module, provider.GetRequiredService<ModuleMessageFiguresReader>(), settings.Health),
                HealthStatus.Degraded, [ModuleGateway.ReadyTag, HealthReportWriter.PublicDetailsTag]));
        }

        return services;
    }
}
