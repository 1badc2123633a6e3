using System.Collections.Concurrent;
using System.Diagnostics;
using Modular.BuildingBlocks.Logging;
using OpenTelemetry;

namespace Modular.BuildingBlocks.Telemetry;

/// <summary>
/// Gives every span a <c>modular.module</c> tag: the module whose handler or endpoint runs it. The entry span of a
/// module's work (the HTTP request, or Wolverine's handling of a message) is tagged by <see cref="ModuleLogScope"/>;
/// the spans under it (Marten, PostgreSQL commands, sends) inherit it here, and spans outside any module are the host's.
/// </summary>
public sealed class ModuleSpanProcessor : BaseProcessor<Activity>
{
    /// <summary>Shared by the hosts of one process (the tests run several): a span id names one span wherever it is seen.</summary>
    private static readonly ConcurrentDictionary<ActivitySpanId, Activity> Running = new();

    public const string ModuleTag = "modular.module";

    public const string WolverineSource = "Wolverine";

    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    /// <summary>
    /// Wolverine starts its send and handling spans with the envelope's parent id rather than a parent object, so the
    /// module is looked up where the code runs first, then up the spans of this process.
    /// </summary>
    public override void OnStart(Activity data)
    {
        Running[data.SpanId] = data;
        if ((ModuleLogScope.Current ?? ModuleOf(ParentOf(data))) is { } module)
        {
            data.SetTag(ModuleTag, module);
        }
    }

    /// <summary>
    /// The span's parent if it runs in this process. Marten and Wolverine start spans with an explicit parent context,
    /// which leaves <see cref="Activity.Parent"/> empty: those parents are found among the spans still running.
    /// </summary>
    public static Activity? ParentOf(Activity span) =>
        span.Parent ?? (span.ParentSpanId == default ? null : Running.GetValueOrDefault(span.ParentSpanId));

    /// <summary>A span that started before its module was known (the request span, before routing) is settled as it ends.</summary>
    public override void OnEnd(Activity data)
    {
        Running.TryRemove(data.SpanId, out _);
        if (data.GetTagItem(ModuleTag) is null)
        {
            data.SetTag(ModuleTag, ModuleOf(ParentOf(data)) ?? ModuleEnricher.HostModuleName);
        }
    }

    private static string? ModuleOf(Activity? activity)
    {
        for (; activity is not null; activity = ParentOf(activity))
        {
            if (activity.GetTagItem(ModuleTag) is string module)
            {
                return module;
            }
        }

        return null;
    }
}
