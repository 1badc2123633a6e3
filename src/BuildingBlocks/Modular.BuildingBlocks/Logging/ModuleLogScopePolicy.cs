using System.Diagnostics;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Telemetry;
using Serilog.Context;
using Wolverine.Configuration;

namespace Modular.BuildingBlocks.Logging;

/// <summary>
/// Wraps each handler and endpoint of a module in a log scope naming the module, so that what Wolverine, Marten
/// and ASP.NET log while a module is at work carries the module's name, and tags the current trace span with it.
/// </summary>
public sealed class ModuleLogScopePolicy(IReadOnlyList<IModule> modules) : IChainPolicy
{
    public void Apply(IReadOnlyList<IChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var module = modules.FirstOrDefault(m => chain.HandlerCalls().Any(call => call.HandlerType.Assembly == m.Assembly));
            if (module is null)
            {
                continue;
            }

            var enter = new MethodCall(typeof(ModuleLogScope), nameof(ModuleLogScope.Enter));
            enter.Arguments[0] = Constant.ForString(module.Name);
            chain.Middleware.Insert(0, enter);
        }
    }
}

public static class ModuleLogScope
{
    private static readonly AsyncLocal<string?> CurrentModule = new();

    /// <summary>The module whose handler or endpoint this code runs in, if any: what the spans it starts are tagged with.</summary>
    public static string? Current => CurrentModule.Value;

    public static IDisposable Enter(string module)
    {
        CurrentModule.Value = module;
        TagEntrySpan(module);
        return LogContext.PushProperty(ModuleEnricher.PropertyName, module);
    }

    /// <summary>
    /// Tags the current span and those above it up to the module's entry span (the HTTP request, or Wolverine's
    /// handling of the message). Spans started before the module was known (the session's connection, opened before
    /// the handler runs) get it here; a tag inherited from the code that queued the message is corrected.
    /// </summary>
    private static void TagEntrySpan(string module)
    {
        for (var span = Activity.Current; span is not null; span = ModuleSpanProcessor.ParentOf(span))
        {
            span.SetTag(ModuleSpanProcessor.ModuleTag, module);
            if (span.Source.Name is ModuleSpanProcessor.WolverineSource or ModuleSpanProcessor.AspNetCoreSource)
            {
                return;
            }
        }
    }
}
