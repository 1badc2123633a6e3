namespace Modular.Testing;

/// <summary>A log record as an OTLP exporter sent it.</summary>
public sealed record RecordedLog(
    string? TraceId, string? SpanId, string Severity, string Body, IReadOnlyDictionary<string, string> Attributes)
{
    public string? Attribute(string name) => Attributes.GetValueOrDefault(name);
}
