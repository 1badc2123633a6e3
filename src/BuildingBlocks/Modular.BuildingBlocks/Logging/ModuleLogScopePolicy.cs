using System.Diagnostics;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Modular.BuildingBlocks.Modules;
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
    public static IDisposable Enter(string module)
    {
        Activity.Current?.SetTag("modular.module", module);
        return LogContext.PushProperty(ModuleEnricher.PropertyName, module);
    }
}
