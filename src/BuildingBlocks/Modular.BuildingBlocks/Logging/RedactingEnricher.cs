using Serilog.Core;
using Serilog.Events;

namespace Modular.BuildingBlocks.Logging;

/// <summary>
/// Masks secrets in every property of every log event before any sink sees it (<see cref="Redaction"/>): a logged
/// connection string, header or token, on its own or inside a destructured object. Added last, after the enrichers
/// that add properties. The text outside properties (an exception's) is masked by <see cref="RedactingFormatter"/>.
/// </summary>
public sealed class RedactingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var redacted = Redacted(name, value);
            if (!ReferenceEquals(redacted, value))
            {
                (changed ??= []).Add(new LogEventProperty(name, redacted));
            }
        }

        foreach (var property in changed ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The same instance when nothing in it is secret, so that the common case allocates nothing.</summary>
    private static LogEventPropertyValue Redacted(string name, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var redacted = Redaction.Redact(name, text);
                return ReferenceEquals(redacted, text) ? value : new ScalarValue(redacted);
            case ScalarValue { Value: not null } scalar when Redaction.NamesASecret(name):
                return new ScalarValue(Redaction.Mask);
            case StructureValue structure:
                var properties = structure.Properties.Select(p => (Old: p, New: Redacted(p.Name, p.Value))).ToList();
                return properties.All(p => ReferenceEquals(p.Old.Value, p.New)) ? value
                    : new StructureValue(properties.Select(p => new LogEventProperty(p.Old.Name, p.New)), structure.TypeTag);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(e => (Old: e, New: Redacted(name, e))).ToList();
                return elements.All(e => ReferenceEquals(e.Old, e.New)) ? value : new SequenceValue(elements.Select(e => e.New));
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => (e.Key, Old: e.Value, New: Redacted(e.Key.Value?.ToString() ?? name, e.Value))).ToList();
                return entries.All(e => ReferenceEquals(e.Old, e.New)) ? value
                    : new DictionaryValue(entries.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, e.New)));
            default:
                return value;
        }
    }
}
