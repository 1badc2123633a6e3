using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Modular.Testing;

/// <summary>
/// The smallest OTLP/HTTP collector: it keeps the spans, log records and metric names that host processes export to
/// <c>/v1/traces</c>, <c>/v1/logs</c> and <c>/v1/metrics</c>. Decoding the protobuf by field number needs no generated
/// types (OpenTelemetry.Proto is not on the feed); the field numbers are those of opentelemetry/proto/*/v1/*.proto.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedSpan> _spans = new();
    private readonly ConcurrentQueue<RecordedLog> _logs = new();
    private readonly ConcurrentDictionary<string, byte> _metrics = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<RecordedSpan> Spans => _spans.ToList();

    public IReadOnlyList<RecordedLog> Logs => _logs.ToList();

    /// <summary>The name of every metric received so far.</summary>
    public IReadOnlyCollection<string> MetricNames => _metrics.Keys.ToList();

    /// <summary>
    /// The OTEL_* settings that make a host export its traces and logs here, without the default 5 s batching delay.
    /// Metrics are pushed only to a metrics endpoint of their own (docs/adr/0025): see <see cref="MetricSettings"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Address.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    /// <summary>The settings that push metrics here too, every half second rather than every minute.</summary>
    public IReadOnlyDictionary<string, string> MetricSettings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = new Uri(Address, "/v1/metrics").ToString(),
        ["OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
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
            foreach (var span in DecodeSpans(await BodyOf(request)))
            {
                receiver._spans.Enqueue(span);
            }

            return Results.Ok();
        });
        app.MapPost("/v1/logs", async (HttpRequest request) =>
        {
            foreach (var log in DecodeLogs(await BodyOf(request)))
            {
                receiver._logs.Enqueue(log);
            }

            return Results.Ok();
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            foreach (var name in DecodeMetricNames(await BodyOf(request)))
            {
                receiver._metrics.TryAdd(name, 0);
            }

            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Address = new Uri(app.Urls.First());
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task<ByteString> BodyOf(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return ByteString.CopyFrom(body.ToArray());
    }

    /// <summary>ExportTraceServiceRequest: 1 resource_spans; ResourceSpans: 2 scope_spans; ScopeSpans: 1 scope (1 name), 2 spans.</summary>
    private static IEnumerable<RecordedSpan> DecodeSpans(ByteString request) =>
        from resourceSpans in Fields(request).Where(f => f.Number == 1)
        from scopeSpans in Fields(resourceSpans.Bytes!).Where(f => f.Number == 2)
        let scope = Fields(scopeSpans.Bytes!).Where(f => f.Number == 1).Select(f => Text(f.Bytes!, 1)).FirstOrDefault() ?? ""
        from span in Fields(scopeSpans.Bytes!).Where(f => f.Number == 2)
        select Span(span.Bytes!, scope);

    /// <summary>Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes (KeyValue: 1 key, 2 AnyValue: 1 string, 2 bool, 3 int, 4 double).</summary>
    private static RecordedSpan Span(ByteString span, string scope)
    {
        var fields = Fields(span);
        return new RecordedSpan(Id(fields, 1) ?? "", Id(fields, 2) ?? "", Id(fields, 4), Text(span, 5) ?? "", scope, Attributes(fields, 9));
    }

    /// <summary>ExportLogsServiceRequest: 1 resource_logs; ResourceLogs: 2 scope_logs; ScopeLogs: 2 log_records.</summary>
    private static IEnumerable<RecordedLog> DecodeLogs(ByteString request) =>
        from resourceLogs in Fields(request).Where(f => f.Number == 1)
        from scopeLogs in Fields(resourceLogs.Bytes!).Where(f => f.Number == 2)
        from record in Fields(scopeLogs.Bytes!).Where(f => f.Number == 2)
        select Log(record.Bytes!);

    /// <summary>LogRecord: 3 severity_text, 5 body (AnyValue), 6 attributes, 9 trace_id, 10 span_id.</summary>
    private static RecordedLog Log(ByteString record)
    {
        var fields = Fields(record);
        var body = fields.Where(f => f.Number == 5).Select(f => Value(f.Bytes!)).FirstOrDefault();
        return new RecordedLog(Id(fields, 9), Id(fields, 10), Text(record, 3) ?? "", body ?? "", Attributes(fields, 6));
    }

    /// <summary>ExportMetricsServiceRequest: 1 resource_metrics; ResourceMetrics: 2 scope_metrics; ScopeMetrics: 2 metrics; Metric: 1 name.</summary>
    private static IEnumerable<string> DecodeMetricNames(ByteString request) =>
        from resourceMetrics in Fields(request).Where(f => f.Number == 1)
        from scopeMetrics in Fields(resourceMetrics.Bytes!).Where(f => f.Number == 2)
        from metric in Fields(scopeMetrics.Bytes!).Where(f => f.Number == 2)
        select Text(metric.Bytes!, 1) ?? "";

    private static string? Id(List<Field> fields, int number) =>
        fields.Where(f => f.Number == number && f.Bytes is { Length: > 0 }).Select(f => Convert.ToHexStringLower(f.Bytes!.ToByteArray())).FirstOrDefault();

    /// <summary>KeyValue: 1 key, 2 value.</summary>
    private static Dictionary<string, string> Attributes(List<Field> fields, int number)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var attribute in fields.Where(f => f.Number == number))
        {
            var key = Text(attribute.Bytes!, 1);
            var value = Fields(attribute.Bytes!).Where(f => f.Number == 2).Select(f => Value(f.Bytes!)).FirstOrDefault();
            if (key is not null && value is not null)
            {
                attributes[key] = value;
            }
        }

        return attributes;
    }

    /// <summary>AnyValue: 1 string, 2 bool, 3 int, 4 double; the others (arrays, maps, bytes) are read as their bytes.</summary>
    private static string? Value(ByteString anyValue) => Fields(anyValue).FirstOrDefault() switch
    {
        null => null,
        { Number: 4, Scalar: { } bits } => BitConverter.Int64BitsToDouble((long)bits).ToString(System.Globalization.CultureInfo.InvariantCulture),
        { Bytes: { } bytes } => bytes.ToStringUtf8(),
        { Scalar: { } scalar } => scalar.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

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
