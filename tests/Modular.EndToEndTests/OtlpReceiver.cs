using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Modular.EndToEndTests;

/// <summary>
/// The smallest OTLP/HTTP collector: it keeps the spans host processes export to <c>/v1/traces</c> and accepts, and
/// drops, the other signals. Decoding the protobuf by field number needs no generated types (OpenTelemetry.Proto is
/// not on the feed); the field numbers are those of opentelemetry/proto/trace/v1/trace.proto.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedSpan> _spans = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<RecordedSpan> Spans => _spans.ToList();

    /// <summary>The OTEL_* settings that make a host export its traces and logs here, without the default 5 s batching delay.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Address.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            foreach (var span in Decode(ByteString.CopyFrom(body.ToArray())))
            {
                receiver._spans.Enqueue(span);
            }

            return Results.Ok();
        });
        app.MapPost("/{**signal}", () => Results.Ok());
        await app.StartAsync();
        receiver.Address = new Uri(app.Urls.First());
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>ExportTraceServiceRequest: 1 resource_spans; ResourceSpans: 2 scope_spans; ScopeSpans: 1 scope (1 name), 2 spans.</summary>
    private static IEnumerable<RecordedSpan> Decode(ByteString request) =>
        from resourceSpans in Fields(request).Where(f => f.Number == 1)
        from scopeSpans in Fields(resourceSpans.Bytes!).Where(f => f.Number == 2)
        let scope = Fields(scopeSpans.Bytes!).Where(f => f.Number == 1).Select(f => Text(f.Bytes!, 1)).FirstOrDefault() ?? ""
        from span in Fields(scopeSpans.Bytes!).Where(f => f.Number == 2)
        select Span(span.Bytes!, scope);

    /// <summary>Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes (KeyValue: 1 key, 2 AnyValue: 1 string, 2 bool, 3 int, 4 double).</summary>
    private static RecordedSpan Span(ByteString span, string scope)
    {
        var fields = Fields(span).ToList();
        string? Id(int number) => fields.Where(f => f.Number == number && f.Bytes is { Length: > 0 }).Select(f => Convert.ToHexStringLower(f.Bytes!.ToByteArray())).FirstOrDefault();
        var tags = new Dictionary<string, string>();
        foreach (var attribute in fields.Where(f => f.Number == 9))
        {
            var key = Text(attribute.Bytes!, 1);
            var value = Fields(attribute.Bytes!).Where(f => f.Number == 2).Select(f => Fields(f.Bytes!).FirstOrDefault()).FirstOrDefault();
            if (key is not null && value is not null)
            {
                tags[key] = value.Bytes?.ToStringUtf8() ?? value.Scalar?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
        }

        return new RecordedSpan(Id(1) ?? "", Id(2) ?? "", Id(4), Text(span, 5) ?? "", scope, tags);
    }

    private static string? Text(ByteString message, int number) =>
        Fields(message).Where(f => f.Number == number).Select(f => f.Bytes?.ToStringUtf8()).FirstOrDefault();

    private sealed record Field(int Number, ByteString? Bytes, ulong? Scalar);

    private static List<Field> Fields(ByteString message)
    {
        var fields = new List<Field>();
        var input = message.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            fields.Add(WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.LengthDelimited => new Field(number, input.ReadBytes(), null),
                WireFormat.WireType.Varint => new Field(number, null, input.ReadUInt64()),
                WireFormat.WireType.Fixed64 => new Field(number, null, input.ReadFixed64()),
                WireFormat.WireType.Fixed32 => new Field(number, null, input.ReadFixed32()),
                _ => throw new InvalidDataException($"Unexpected protobuf wire type in field {number}."),
            });
        }

        return fields;
    }
}
