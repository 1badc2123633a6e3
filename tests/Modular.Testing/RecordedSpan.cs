namespace Modular.Testing;

/// <summary>A finished span as an exporter saw it, whichever process ran it.</summary>
public sealed record RecordedSpan(
    string TraceId, string SpanId, string? ParentSpanId, string Name, string Source, IReadOnlyDictionary<string, string> Tags)
{
    public string? Tag(string name) => Tags.GetValueOrDefault(name);
}
