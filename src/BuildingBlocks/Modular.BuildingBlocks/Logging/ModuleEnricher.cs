using Serilog.Core;
using Serilog.Events;

namespace Modular.BuildingBlocks.Logging;

/// <summary>
/// Gives every log event a <c>Module</c> property. Inside a module's handler or endpoint the property is already
/// on the log context (<see cref="ModuleLogScopePolicy"/>); otherwise it comes from the logger's source context
/// (<c>Modular.Modules.Catalog.…</c> is Catalog), and anything else is the host's.
/// </summary>
public sealed class ModuleEnricher : ILogEventEnricher
{
    public const string PropertyName = "Module";
    public const string HostModuleName = "Host";
    private const string ModuleNamespacePrefix = "Modular.Modules.";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.ContainsKey(PropertyName))
        {
            return;
        }

        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(PropertyName, ModuleOf(logEvent)));
    }

    private static string ModuleOf(LogEvent logEvent)
    {
        if (logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var value)
            && value is ScalarValue { Value: string source }
            && source.StartsWith(ModuleNamespacePrefix, StringComparison.Ordinal))
        {
            var rest = source.AsSpan(ModuleNamespacePrefix.Length);
            var end = rest.IndexOf('.');
            return (end < 0 ? rest : rest[..end]).ToString();
        }

        return HostModuleName;
    }
}
