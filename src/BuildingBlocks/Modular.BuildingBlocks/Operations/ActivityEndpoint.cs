using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Net.Http.Headers;
using Modular.BuildingBlocks.Hosting;
using Wolverine.Runtime;

namespace Modular.BuildingBlocks.Operations;

/// <summary>One module's live figures: what its handlers did lately and what waits in its inbox now.</summary>
/// <param name="OldestWaitingSeconds">How long the oldest message waiting in its inbox has waited; null when none waits.</param>
/// <param name="PausedListeners">Listeners of its inbox not taking messages now (a circuit breaker paused them).</param>
public sealed record ModuleActivityView(
    string Module, double HandledPerSecond, long Handled, long FailedLastMinute, long Failed, long DeadLettered,
    double? P50Milliseconds, double? P99Milliseconds, int InboxDepth, double? OldestWaitingSeconds, int DeadLetters, int PausedListeners);

/// <summary>A process of the deployment: the modules it hosts, its readiness, and their figures.</summary>
/// <param name="Url">Where the gateway reaches it; null for the process that answered.</param>
/// <param name="Status">Its readiness (Healthy, Degraded, Unhealthy), or Unreachable when the gateway could not ask it.</param>
/// <param name="Problems">Why it is not Healthy, one line per failing check.</param>
public sealed record ProcessActivityView(
    IReadOnlyList<string> Hosts, Uri? Url, string Status, IReadOnlyList<string> Problems, IReadOnlyList<ModuleActivityView> Modules);

public sealed record ActivityView(DateTimeOffset At, IReadOnlyList<ProcessActivityView> Processes);

/// <summary>
/// <c>GET /api/platform/activity</c>: every process of the deployment with its readiness and its modules' live figures,
/// from this process's own measurements (<see cref="ModuleActivity"/>) and envelope tables. A gateway asks each process
/// it forwards to (<c>Modular:RemoteUrls</c>) for its own, with the caller's token, so one request shows the whole
/// deployment. See docs/adr/0039.
/// </summary>
public static class ActivityEndpoint
{
    public const string Route = "/api/platform/activity";

    public const string RemoteClient = "modular-remote-processes";

    /// <summary>How long the gateway waits for another process's figures before it shows that process as Unreachable.</summary>
    public static readonly TimeSpan RemoteTimeout = TimeSpan.FromSeconds(3);

    public static RouteHandlerBuilder MapActivity(this IEndpointRouteBuilder app) =>
        app.MapGet(Route, GetAsync)
            .WithSummary("Every process of the deployment, its readiness and its modules' live figures (rates, failures, latency, inbox)")
            .WithTags("Platform");

    private static async Task<ActivityView> GetAsync(
        HttpContext context, bool? remotes, ModuleTopology topology, ModularOptions settings, ModuleActivity activity,
        ModuleMessageFiguresReader figures, ModuleInboxes inboxes, IWolverineRuntime runtime, HealthCheckService health,
        IHttpClientFactory clients, TimeProvider clock)
    {
        var here = HereAsync(topology, settings, activity, figures, inboxes, runtime, health, context.RequestAborted);
        var others = remotes == false
            ? []
            : settings.RemoteUrls
                .Where(r => topology.Catalog.Any(m => !topology.IsHosted(m) && string.Equals(m.Name, r.Key, StringComparison.OrdinalIgnoreCase)))
                .GroupBy(r => r.Value)
                .Select(r => RemoteAsync(r.Key, r.Select(m => m.Key).Order(StringComparer.Ordinal).ToList(), context, clients))
                .ToList();
        return new ActivityView(clock.GetUtcNow(), [await here, .. await Task.WhenAll(others)]);
    }

    private static async Task<ProcessActivityView> HereAsync(
        ModuleTopology topology, ModularOptions settings, ModuleActivity activity, ModuleMessageFiguresReader figures, ModuleInboxes inboxes,
        IWolverineRuntime runtime, HealthCheckService health, CancellationToken cancellation)
    {
        // This process's own checks: a gateway's checks of the processes it forwards to are theirs to report.
        var remoteChecks = settings.RemoteUrls.Keys.Select(name => $"module:{name}").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var report = await health.CheckHealthAsync(
            check => check.Tags.Contains(ModuleGateway.ReadyTag) && !remoteChecks.Contains(check.Name), cancellation);
        var problems = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message ?? e.Value.Status.ToString()}").ToList();
        IReadOnlyDictionary<Modules.IModule, ModuleMessageFigures> waiting;
        try
        {
            waiting = await figures.ReadAsync().WaitAsync(cancellation);
        }
#pragma warning disable CA1031 // The envelope tables out of reach (the database is down) leave the inbox figures out, not the page.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            waiting = new Dictionary<Modules.IModule, ModuleMessageFigures>();
            problems.Add($"inbox figures: could not be read ({e.Message})");
        }
        var paused = inboxes.PausedListeners(runtime);

        return new ProcessActivityView(
            topology.Hosted.Select(m => m.Name).ToList(),
            null,
            report.Status.ToString(),
            problems,
            topology.Hosted.Select(module =>
            {
                var live = activity.Read(module.Name);
                var inbox = waiting.GetValueOrDefault(module) ?? ModuleMessageFigures.None;
                return new ModuleActivityView(
                    module.Name, live.HandledPerSecond, live.Handled, live.FailedLastMinute, live.Failed, live.DeadLettered,
                    live.P50Milliseconds, live.P99Milliseconds, inbox.Waiting, inbox.OldestWaiting is { } age ? Math.Round(age.TotalSeconds, 1) : null,
                    inbox.DeadLetters, paused.GetValueOrDefault(module.Name));
            }).ToList());
    }

    /// <summary>Another process's own view, asked with the caller's token; Unreachable, saying why, when it does not answer in time.</summary>
    private static async Task<ProcessActivityView> RemoteAsync(Uri url, IReadOnlyList<string> modules, HttpContext context, IHttpClientFactory clients)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(RemoteTimeout);
            // Under the remote's own path base, as the gateway's forwarding keeps it.
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{url.ToString().TrimEnd('/')}{Route}?remotes=false"));
            if (AuthenticationHeaderValue.TryParse(context.Request.Headers[HeaderNames.Authorization], out var token))
            {
                request.Headers.Authorization = token;
            }

            using var response = await clients.CreateClient(RemoteClient).SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Unreachable(url, modules, $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var view = await response.Content.ReadFromJsonAsync<ActivityView>(timeout.Token);
            return view?.Processes is [{ Hosts: not null, Status: not null, Problems: not null, Modules: not null } process, ..]
                ? process with { Url = url }
                : Unreachable(url, modules, $"{url} answered without its figures");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the other process did wrong (refused, timed out, answered garbage) is its entry's problem.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Unreachable(url, modules, e is OperationCanceledException
                ? $"{url} did not answer within {RemoteTimeout.TotalSeconds:0} s"
                : $"{url}: {e.Message}");
        }
    }

    private static ProcessActivityView Unreachable(Uri url, IReadOnlyList<string> modules, string problem) =>
        new(modules, url, "Unreachable", [problem], []);
}
