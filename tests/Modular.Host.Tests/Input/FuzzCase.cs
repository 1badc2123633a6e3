using System.Text;

namespace Modular.Host.Tests.Input;

/// <summary>One generated request, kept as the bytes that go on the wire so that a failure can be read and replayed.</summary>
public sealed record FuzzCase(string Kind, string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    /// <summary>The OpenAPI operation the request was generated for, such as <c>POST /api/orders</c>.</summary>
    public string Operation { get; init; } = "";

    /// <summary>A request line and headers sent exactly as given, for requests that are malformed below HTTP's own grammar.</summary>
    public string? RawHead { get; init; }

    /// <summary>Leaves out Content-Length, for bodies framed another way (chunked) or deliberately unframed.</summary>
    public bool FramedByHeaders { get; init; }

    public byte[] ToBytes()
    {
        if (RawHead is not null)
        {
            return [.. Encoding.UTF8.GetBytes(RawHead), .. Body];
        }

        var head = new StringBuilder($"{Method} {Target} HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}Connection: close\r\n");
        foreach (var (name, value) in Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (!FramedByHeaders && (Body.Length > 0 || Method is "POST" or "PUT" or "PATCH"))
        {
            head.Append("Content-Length: ").Append(Body.Length).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetBytes(head.Append("\r\n").ToString()), .. Body];
    }

    public override string ToString()
    {
        var head = RawHead ?? $"{Method} {Target} {string.Join(" ", Headers.Select(h => $"[{h.Name}: {Preview(h.Value)}]"))}";
        return $"({Kind}) {Preview(head.Replace("\r\n", "\\r\\n", StringComparison.Ordinal))} body: {Preview(Encoding.UTF8.GetString(Body))}";
    }

    private static string Preview(string text) => text.Length <= 300 ? text : $"{text[..300]}... ({text.Length} chars)";
}
