using System.Text.Json;
using JasperFx.CommandLine;
using Modular.BuildingBlocks.Hosting;

namespace Modular.Host;

/// <summary><c>dotnet Modular.Host.dll modules</c>: the same view as <c>GET /api/modules</c>, without starting the host.</summary>
[Description("Lists each module: where it runs, its schema, the messages it handles and publishes, and its HTTP routes")]
public sealed class ModulesCommand : JasperFxAsyncCommand<NetCoreInput>
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public override Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var view = TopologyView.Of(host.Services.GetRequiredService<ModuleTopology>(), host.Services.GetRequiredService<ModularOptions>(), internals: true);
        Console.WriteLine(JsonSerializer.Serialize(view, Indented));
        return Task.FromResult(true);
    }
}
