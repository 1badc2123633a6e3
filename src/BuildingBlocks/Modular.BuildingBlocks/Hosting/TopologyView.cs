using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>One module as this process sees it: where it runs, where its data lives, what it exchanges.</summary>
public sealed record ModuleView(
    string Name,
    bool HostedHere,
    string RunsIn,
    string Schema,
    string Inbox,
    IReadOnlyList<string> Handles,
    IReadOnlyList<string> Publishes,
    IReadOnlyList<string> Routes);

/// <summary>The deployment as this process sees it; <c>GET /api/modules</c>, the <c>modules</c> command and the operations console show it.</summary>
/// <param name="Flows">The contract messages going between modules (<see cref="MessageFlow.Between"/>), whichever process hosts them.</param>
public sealed record TopologyView(
    IReadOnlyList<string> HostedHere, string Transport, string EnvelopeSchema, IReadOnlyList<ModuleView> Modules, IReadOnlyList<MessageFlow> Flows)
{
    /// <param name="internals">
    /// Whether the view may name other processes' addresses (<see cref="ModularOptions.RemoteUrls"/>): for an admin and
    /// the operator's command line, never for any other caller, to whom they would map the network behind the gateway.
    /// </param>
    public static TopologyView Of(ModuleTopology topology, ModularOptions settings, bool internals)
    {
        var transport = MessagingDefaults.TransportFor(topology, settings);
        return new TopologyView(
            topology.Hosted.Select(m => m.Name).ToList(),
            transport.ToString(),
            MessagingDefaults.EnvelopeSchemaFor(topology, settings),
            topology.Catalog.Select(module =>
            {
                var handles = ModuleConventions.HandledMessageTypes(module.Assembly);
                return new ModuleView(
                    module.Name,
                    topology.IsHosted(module),
                    RunsIn(module, topology, settings, transport, internals),
                    module.Schema,
                    ModuleTopology.InboxOf(module),
                    handles.Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList(),
                    ModuleConventions.ContractMessageTypes(module.ContractsAssembly).Where(t => !handles.Contains(t))
                        .Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList(),
                    ModuleConventions.HttpRoutes(module.Assembly).Select(r => $"{r.Method} {r.Template}").ToList());
            }).ToList(),
            MessageFlow.Between(topology.Catalog));
    }

    private static string RunsIn(IModule module, ModuleTopology topology, ModularOptions settings, ModuleTransport transport, bool internals) =>
        topology.IsHosted(module) ? "this process"
        : settings.RemoteUrls.TryGetValue(module.Name, out var url) ? $"another process{(internals ? $" at {url}" : string.Empty)}, its messages over {transport}"
        : transport != ModuleTransport.None ? $"another process, its messages over {transport}"
        : "nowhere reachable from this process";
}
