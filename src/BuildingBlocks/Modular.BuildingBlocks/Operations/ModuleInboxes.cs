using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Transports;

namespace Modular.BuildingBlocks.Operations;

/// <summary>
/// Which module an envelope of this process's inbox or dead letters belongs to, by the endpoint that received it. The
/// answer comes from Wolverine's endpoints: each module's handlers stick to its inboxes (see ModuleRouting), so an
/// endpoint running a module's handlers is that module's inbox, whatever the transport.
/// </summary>
public sealed class ModuleInboxes
{
    private readonly Dictionary<Uri, IModule> _moduleByEndpoint = [];

    public ModuleInboxes(WolverineOptions wolverine, ModuleTopology topology)
    {
        foreach (var endpoint in wolverine.Transports.AllEndpoints())
        {
            if (topology.Hosted.FirstOrDefault(m => endpoint.StickyHandlers.Any(h => h.Assembly == m.Assembly)) is { } module)
            {
                _moduleByEndpoint[endpoint.Uri] = module;
            }
        }
    }

    /// <summary>The module whose inbox <paramref name="receivedAt"/> (an endpoint address as Wolverine stores it) is; null for other endpoints.</summary>
    public IModule? ModuleOf(string? receivedAt) =>
        Uri.TryCreate(receivedAt, UriKind.Absolute, out var uri) ? ModuleOf(uri) : null;

    public IModule? ModuleOf(Uri receivedAt) => _moduleByEndpoint.GetValueOrDefault(receivedAt);

    /// <summary>
    /// How many listeners of each hosted module's inboxes are not taking messages now (a circuit breaker or back-pressure
    /// paused them); a module with none paused has no entry.
    /// </summary>
    public IReadOnlyDictionary<string, int> PausedListeners(IWolverineRuntime runtime) =>
        runtime.Endpoints.ActiveListeners()
            .Where(l => l.Status != ListeningStatus.Accepting)
            .Select(l => ModuleOf(l.Uri)?.Name)
            .OfType<string>()
            .CountBy(name => name)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>The addresses of <paramref name="module"/>'s inboxes in this process, as Wolverine stores them in <c>received_at</c>.</summary>
    public IReadOnlyList<string> EndpointsOf(IModule module) =>
        _moduleByEndpoint.Where(e => e.Value == module).Select(e => e.Key.ToString()).Order(StringComparer.Ordinal).ToList();
}
