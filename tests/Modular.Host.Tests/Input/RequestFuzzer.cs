using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Modular.Host.Tests.Input;

/// <summary>
/// Generates requests for the operations of an OpenAPI document, shaped by their schemas. <see cref="Malformed"/>
/// requests each carry a defect the API must refuse (a wrong type, a null, a missing or unknown field, a bad number,
/// broken JSON or UTF-8, a wrong Content-Type, an oversized body or header, a bad path, query value or method);
/// <see cref="Boundary"/> requests are well-formed but carry edge values the API may accept or refuse. Known values
/// (an existing SKU, an existing order) make some of them reach the deepest code. Everything comes from one seeded
/// <see cref="Random"/>, so a run can be replayed exactly.
/// </summary>
public sealed class RequestFuzzer(OpenApiRoutes api, IReadOnlyDictionary<string, string> known, int seed)
{
    private static readonly string[] IntegerDefects = ["1e400", "1.0000000001", "2147483648", "-2147483649", "\"5\"", "1e2", "-0.5", "0x10"];
    private static readonly string[] NumberDefects = ["1e400", "-1e400", "79228162514264337593543950336", "\"1.5\"", "NaN", "Infinity", ".5", "01"];
    private static readonly string[] IntegerEdges = ["2147483647", "-2147483648", "-1", "0", "1", "1000", "1000000", "1000001"];
    private static readonly string[] NumberEdges = ["0", "-1", "0.01", "0.001", "1.0000000001", "1e-400", "99999999999999999.99", "2147483647", "1E3", "-0.0"];
    private static readonly string[] StringEdges =
    [
        "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"🛒💥\"", "\"\\u202eRTL\"", "\"' or 1=1 --\"",
        "\"<script>\"", "\"../../etc/passwd\"", "\"%00\"", "\"a\\nb\"", "\"EUR \"", "\"eur\"",
    ];

    private readonly Random _random = new(seed);
    private readonly Dictionary<string, string> _raw = new(StringComparer.Ordinal);
    private readonly List<ApiOperation> _operations = [.. api.Operations];

    public int Seed => seed;

    /// <summary>A schema-valid request for ids that exist nowhere: it reaches the endpoint, which compiles its handler.</summary>
    public FuzzCase WarmUp(ApiOperation operation) =>
        Case("warm-up", operation, PathValues(operation, known: false), Query(operation), Headers(operation),
            operation.Body is null ? [] : Encoding.UTF8.GetBytes(Valid(operation.Body, "body", 0)!.ToJsonString()));

    public FuzzCase Malformed()
    {
        _raw.Clear();
        var operation = Pick(_operations);
        var defects = new List<Func<ApiOperation, FuzzCase>> { HugeHeader, WrongMethod, BrokenRequestLine };
        if (operation.Body is not null)
        {
            defects.AddRange([WrongType, WrongType, NullValue, MissingField, UnknownField, DuplicateField, BadNumber, BadNumber, NulInText,
                BadRoot, BrokenJson, BrokenJson, BadUtf8, BadContentType, BadContentType, TooLarge, ShortContentLength]);
        }

        if (operation.In("header").Any())
        {
            defects.Add(DuplicateHeader);
        }

        if (operation.In("path").Any())
        {
            defects.AddRange([BadPathSegment, BadPathSegment, UnknownId]);
        }

        if (TypedQuery(operation).Any())
        {
            defects.AddRange([BadQueryValue, BadQueryValue, RepeatedQueryValue]);
        }

        return Pick(defects)(operation) with { Operation = operation.ToString() };
    }

    public FuzzCase Boundary()
    {
        _raw.Clear();
        var operation = Pick(_operations.Where(o => o.Body is not null || o.In("query").Any()).ToList());
        var body = operation.Body is null ? null : Valid(operation.Body, "body", 0);
        var edits = new List<string>();
        if (body is not null)
        {
            var leaves = Leaves(body, operation.Body!, "$").ToList();
            foreach (var _ in Enumerable.Range(0, leaves.Count == 0 ? 0 : _random.Next(1, 3)))
            {
                var leaf = Pick(leaves);
                var edge = EdgeFor(leaf.Schema);
                Replace(body, leaf, edge);
                edits.Add($"{leaf.Path}={Short(edge)}");
            }
        }

        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(Render(body));
        var headers = Headers(operation);
        switch (_random.Next(8))
        {
            case 0 when bytes.Length > 0:
                bytes = [0xEF, 0xBB, 0xBF, .. bytes];
                edits.Add("BOM");
                break;
            case 1 when bytes.Length > 0:
                headers = [.. headers.Where(h => h.Name != "Content-Type"), ("Content-Type", Pick(["application/json;charset=UTF-8", "application/json; charset=\"utf-8\"", "Application/JSON", "application/vnd.shop+json"]))];
                edits.Add("Content-Type variant");
                break;
            case 2 when headers.Any(h => h.Name == "Idempotency-Key"):
                headers = [.. headers.Where(h => h.Name != "Idempotency-Key"), ("Idempotency-Key", Pick([known["idempotencyKey"], new string('k', 201), "  ", "ключ-🔑"]))];
                edits.Add("Idempotency-Key variant");
                break;
            case 3:
                headers = [.. headers, ("Accept", Pick(["text/html", "application/xml", "*/*", "application/problem+json", "text/html;q=0.1, application/json"]))];
                edits.Add("Accept variant");
                break;
        }

        var query = Query(operation);
        var typed = operation.In("query").ToList();
        if (typed.Count > 0 && _random.Next(2) == 0)
        {
            var parameter = Pick(typed);
            var value = Pick(QueryEdges(parameter));
            query = [.. query.Where(q => q.Name != parameter.Name), (parameter.Name, value)];
            edits.Add($"?{parameter.Name}={Short(value)}");
        }

        return Case($"boundary {string.Join(", ", edits)}", operation, PathValues(operation, known: _random.Next(3) > 0), query, headers, bytes);
    }

    // ---- defects: each one must be refused ---------------------------------------------------------------------

    private FuzzCase WrongType(ApiOperation operation)
    {
        var body = Valid(operation.Body!, "body", 0)!;
        var typed = Leaves(body, operation.Body!, "$").Where(l => api.Types(l.Schema).Count > 0).ToList();
        if (typed.Count == 0)
        {
            return BadRoot(operation);
        }

        var leaf = Pick(typed);
        var types = api.Types(leaf.Schema);
        var wrong = Pick(new[] { ("string", "\"x\""), ("integer", "7"), ("boolean", "true"), ("array", "[]"), ("object", "{}") }
            .Where(t => !types.Contains(t.Item1) && !(t.Item1 == "integer" && types.Contains("number")))
            .Select(t => t.Item2).ToList());
        Replace(body, leaf, wrong);
        return BodyCase($"wrong type {leaf.Path}={wrong}", operation, Render(body));
    }

    private FuzzCase NullValue(ApiOperation operation)
    {
        var body = Valid(operation.Body!, "body", 0)!;
        var candidates = Leaves(body, operation.Body!, "$").Where(l => api.Types(l.Schema) is { Count: > 0 } types && !types.Contains("null")).ToList();
        if (candidates.Count == 0)
        {
            return BodyCase("null root", operation, "null");
        }

        var leaf = Pick(candidates);
        Replace(body, leaf, "null");
        return BodyCase($"null at {leaf.Path}", operation, Render(body));
    }

    private FuzzCase MissingField(ApiOperation operation)
    {
        var body = Valid(operation.Body!, "body", 0)!;
        var required = Objects(body, operation.Body!, "$")
            .SelectMany(o => (api.Resolve(o.Schema)["required"]?.AsArray() ?? []).Select(r => (o, Name: r!.GetValue<string>())))
            .Where(r => !api.Types(api.Resolve(r.o.Schema)["properties"]![r.Name]!).Contains("null"))
            .ToList();
        if (required.Count == 0)
        {
            return BodyCase("empty root", operation, "[]");
        }

        var (target, name) = Pick(required);
        target.Node.AsObject().Remove(name);
        return BodyCase($"missing {target.Path}.{name}", operation, body.ToJsonString());
    }

    private FuzzCase UnknownField(ApiOperation operation)
    {
        var body = Valid(operation.Body!, "body", 0)!;
        var objects = Objects(body, operation.Body!, "$");
        if (objects.Count == 0)
        {
            return BodyCase("an object where the body is not one", operation, """{"extra":1}""");
        }

        var target = Pick(objects);
        var name = Pick(["extra", "Extra", "__proto__", "constructor", "$type", "quantiy", "id", "ID", "sku2", "ŝku"]);
        if (target.Node.AsObject().Any(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)))
        {
            name += "_x";
        }

        target.Node.AsObject()[name] = Pick<JsonNode?>([JsonValue.Create(1), JsonValue.Create("x"), null, new JsonObject(), new JsonArray()]);
        var padding = _random.Next(4) == 0 ? new string('x', 10 * 1024 * 1024) : null;
        if (padding is not null)
        {
            target.Node.AsObject()[name] = padding;
        }

        return BodyCase($"unknown field {target.Path}.{name}{(padding is null ? "" : " (10 MB)")}", operation, body.ToJsonString());
    }

    private FuzzCase DuplicateField(ApiOperation operation)
    {
        var body = Valid(operation.Body!, "body", 0)!;
        var filled = Objects(body, operation.Body!, "$").Where(o => o.Node.AsObject().Count > 0).ToList();
        if (filled.Count == 0)
        {
            return BodyCase("an object with a field twice where the body is not one", operation, """{"extra":1,"extra":2}""");
        }

        var target = Pick(filled);
        var (name, value) = Pick(target.Node.AsObject().ToList());
        var spelled = _random.Next(2) == 0 ? name : name.ToUpperInvariant();
        var text = target.Node.ToJsonString();
        var doubled = $"{{\"{spelled}\":{value?.ToJsonString() ?? "null"},{text[1..]}";
        var replaced = target.Node == body ? doubled : body.ToJsonString().Replace(text, doubled, StringComparison.Ordinal);
        return BodyCase($"duplicate {target.Path}.{spelled}", operation, replaced);
    }

    private FuzzCase BadNumber(ApiOperation operation)
    {
        var body = Valid(operation.Body!, "body", 0)!;
        var numeric = Leaves(body, operation.Body!, "$").Where(l => api.Types(l.Schema).Any(t => t is "integer" or "number")).ToList();
        if (numeric.Count == 0)
        {
            return WrongType(operation);
        }

        var leaf = Pick(numeric);
        var bad = Pick(api.Types(leaf.Schema).Contains("integer") ? IntegerDefects : NumberDefects);
        Replace(body, leaf, bad);
        return BodyCase($"bad number {leaf.Path}={bad}", operation, Render(body));
    }

    private FuzzCase NulInText(ApiOperation operation)
    {
        var body = Valid(operation.Body!, "body", 0)!;
        var strings = Leaves(body, operation.Body!, "$").Where(l => api.Types(l.Schema).Contains("string")).ToList();
        if (strings.Count == 0)
        {
            return BadUtf8(operation);
        }

        var leaf = Pick(strings);
        Replace(body, leaf, Pick(["\"\\u0000\"", "\"a\\u0000b\""]));
        return BodyCase($"NUL in {leaf.Path}", operation, Render(body));
    }

    private FuzzCase BadRoot(ApiOperation operation)
    {
        var types = api.Types(operation.Body!);
        var requiresFields = api.Resolve(operation.Body!)["required"] is JsonArray { Count: > 0 };
        var root = Pick(new[] { ("null", "null"), ("[]", "array"), ("[{}]", "array"), ("\"x\"", "string"), ("1", "integer"), ("true", "boolean"), ("{}", "object"), ("", "-"), (" ", "-") }
            .Where(r => !types.Contains(r.Item2) || (r.Item1 == "{}" && requiresFields))
            // An optional body (filters in the query instead) may be left out.
            .Where(r => operation.BodyRequired || r.Item2 != "-")
            .Select(r => r.Item1).ToList());
        return BodyCase($"root {root}", operation, root);
    }

    private FuzzCase BrokenJson(ApiOperation operation)
    {
        var valid = Valid(operation.Body!, "body", 0)!.ToJsonString();
        var (kind, text) = _random.Next(9) switch
        {
            0 => ("truncated", valid[..Math.Max(1, _random.Next(valid.Length - 1))]),
            1 => ("trailing comma", valid[..^1] + ",}"),
            2 => ("comment", "/* c */" + valid),
            3 => ("single quotes", valid.Replace('"', '\'')),
            4 => ("trailing garbage", valid + " x"),
            5 => ("two documents", valid + valid),
            6 => ("deep nesting", new string('[', 5000) + new string(']', 5000)),
            7 => ("unquoted key", "{a:1}"),
            _ => ("control character", valid.Insert(valid.IndexOf('"', 1) is var i and > 0 ? i : 1, "\u0001")),
        };
        return BodyCase($"broken JSON: {kind}", operation, text);
    }

    private FuzzCase BadUtf8(ApiOperation operation)
    {
        var text = Valid(operation.Body!, "body", 0)!.ToJsonString();
        var at = Math.Max(1, text.IndexOf("\":\"", StringComparison.Ordinal) + 3);
        byte[] invalid = Pick<byte[]>([[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80]]);
        var bytes = Encoding.UTF8.GetBytes(text[..at]).Concat(invalid).Concat(Encoding.UTF8.GetBytes(text[at..])).ToArray();
        return Case($"invalid UTF-8 {Convert.ToHexString(invalid)}", operation, PathValues(operation, known: true), Query(operation),
            Headers(operation), bytes);
    }

    private FuzzCase BadContentType(ApiOperation operation)
    {
        var contentType = Pick<string?>([null, "text/plain", "application/xml", "application/json; charset=utf-16", "application/json; charset=iso-8859-1",
            "garbage", "application/", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", ""]);
        var headers = Headers(operation).Where(h => h.Name != "Content-Type").ToList();
        if (contentType is not null)
        {
            headers.Add(("Content-Type", contentType));
        }

        var body = Encoding.UTF8.GetBytes(Valid(operation.Body!, "body", 0)!.ToJsonString());
        if (contentType?.Contains("utf-16", StringComparison.Ordinal) == true)
        {
            body = Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(body));
        }

        return Case($"Content-Type {contentType ?? "(none)"}", operation, PathValues(operation, known: true), Query(operation), headers, body);
    }

    private FuzzCase TooLarge(ApiOperation operation)
    {
        var body = Valid(operation.Body!, "body", 0)!;
        var leaf = Pick(Leaves(body, operation.Body!, "$").Where(l => api.Types(l.Schema).Contains("string")).DefaultIfEmpty(new Leaf(body, null, operation.Body!, "$")).ToList());
        var size = Pick([70 * 1024, 200 * 1024, 2 * 1024 * 1024]);
        if (leaf.Parent is null)
        {
            return BodyCase($"too large ({size} bytes of array)", operation, "[" + string.Join(",", Enumerable.Repeat("1", size / 2)) + "]");
        }

        Replace(body, leaf, JsonSerializer.Serialize(new string('z', size)));
        var chunked = _random.Next(2) == 0;
        var bytes = Encoding.UTF8.GetBytes(Render(body));
        if (!chunked)
        {
            return BodyCase($"too large {leaf.Path} ({size} bytes)", operation, Render(body));
        }

        var framed = Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n").Concat(bytes).Concat("\r\n0\r\n\r\n"u8.ToArray()).ToArray();
        return Case($"too large, chunked {leaf.Path} ({size} bytes)", operation, PathValues(operation, known: true), Query(operation),
            [.. Headers(operation), ("Transfer-Encoding", "chunked")], framed) with { FramedByHeaders = true };
    }

    private FuzzCase ShortContentLength(ApiOperation operation)
    {
        var text = Valid(operation.Body!, "body", 0)!.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(text);
        var declared = _random.Next(1, bytes.Length);
        return Case($"Content-Length {declared} of {bytes.Length}", operation, PathValues(operation, known: true), Query(operation),
            [.. Headers(operation), ("Content-Length", declared.ToString(CultureInfo.InvariantCulture))], bytes) with { FramedByHeaders = true };
    }

    private FuzzCase DuplicateHeader(ApiOperation operation)
    {
        var header = Pick(operation.In("header").ToList());
        var headers = Headers(operation).Where(h => h.Name != header.Name).ToList();
        headers.Add((header.Name, $"one-{_random.Next()}"));
        headers.Add((header.Name, $"two-{_random.Next()}"));
        return Case($"header {header.Name} twice", operation, PathValues(operation, known: true), Query(operation), headers, ValidBody(operation));
    }

    private FuzzCase HugeHeader(ApiOperation operation) =>
        Case("huge header", operation, PathValues(operation, known: true), Query(operation),
            [.. Headers(operation), ("X-Padding", new string('h', Pick([40 * 1024, 70 * 1024])))], ValidBody(operation));

    private FuzzCase WrongMethod(ApiOperation operation)
    {
        var declared = _operations.Where(o => o.Template == operation.Template).Select(o => o.Method).ToHashSet();
        var undeclared = new[] { "GET", "POST", "PUT", "PATCH", "DELETE" }.Where(m => !declared.Contains(m)).ToList();
        if (undeclared.Count == 0)
        {
            return HugeHeader(operation);
        }

        var method = Pick(undeclared);
        return new FuzzCase($"method {method} on {operation.Template}", method, Target(operation, PathValues(operation, known: true), []), [], []);
    }

    private FuzzCase BrokenRequestLine(ApiOperation operation)
    {
        var target = Target(operation, PathValues(operation, known: true), []);
        var head = _random.Next(8) switch
        {
            0 => $"{operation.Method} {target} HTTP/9.9\r\nHost: localhost\r\n{RawHttp.Authorization}\r\n",
            1 => $"{operation.Method} {target} HTTP/1.1\r\n\r\n",
            2 => $"G@T {target} HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}\r\n",
            3 => $"{operation.Method}  {target} HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}\r\n",
            4 => $"{operation.Method} {target} HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}No-Colon-Here\r\n\r\n",
            5 => $"{operation.Method} {target} HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}X-Nul: a\0b\r\n\r\n",
            6 => $"{operation.Method} {target} HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}X-Folded: a\r\n b\r\n\r\n",
            _ => $"{operation.Method} {target}\u00e9 HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}\r\n",
        };
        return new FuzzCase("broken request line or header", operation.Method, target, [], []) { RawHead = head };
    }

    private FuzzCase BadPathSegment(ApiOperation operation)
    {
        var parameter = Pick(operation.In("path").ToList());
        var segment = Pick(["%00", "a%00b", "%FF", "%C0%AF", "%E2%82", "%", "%zz", "..", "%2e%2e", "a%2Fb", "%20", new string('s', 9000), "🛒", "%F0%9F%9B%92"]);
        var values = PathValues(operation, known: true);
        values[parameter.Name] = segment;
        return Case($"path {{{parameter.Name}}}={Short(segment)}", operation, values, Query(operation), Headers(operation), ValidBody(operation));
    }

    private FuzzCase UnknownId(ApiOperation operation) =>
        Case("unknown ids", operation, PathValues(operation, known: false), Query(operation), Headers(operation), ValidBody(operation));

    private FuzzCase BadQueryValue(ApiOperation operation)
    {
        var parameter = Pick(TypedQuery(operation).ToList());
        var schema = api.Resolve(parameter.Schema);
        var value = schema["enum"] is not null || api.Types(schema).Contains("string")
            ? Pick(["99", "1", "-1", "Placed,Confirmed", "nonsense", " Placed", "%00"])
            : Pick(["abc", "1.5", "99999999999", "1e3", "%00", "0x10", "%E2%82%AC"]);
        return Case($"query {parameter.Name}={value}", operation, PathValues(operation, known: true),
            [.. Query(operation).Where(q => q.Name != parameter.Name), (parameter.Name, value)], Headers(operation), ValidBody(operation));
    }

    private FuzzCase RepeatedQueryValue(ApiOperation operation)
    {
        var parameter = Pick(TypedQuery(operation).ToList());
        var valid = ValidQueryValue(parameter);
        return Case($"query {parameter.Name} twice", operation, PathValues(operation, known: true),
            [.. Query(operation).Where(q => q.Name != parameter.Name), (parameter.Name, valid), (parameter.Name, valid)], Headers(operation), ValidBody(operation));
    }

    // ---- building blocks ---------------------------------------------------------------------------------------

    private sealed record Leaf(JsonNode Node, JsonNode? Parent, JsonNode Schema, string Path, string? Key = null, int Index = -1);

    private IEnumerable<ApiParameter> TypedQuery(ApiOperation operation) =>
        operation.In("query").Where(p => api.Resolve(p.Schema)["enum"] is not null
                                         || api.Types(p.Schema).Any(t => t is "integer" or "number" or "boolean")
                                         || api.Resolve(p.Schema)["format"]?.GetValue<string>() == "uuid");

    /// <summary>A value the schema accepts; known values by name, so that ids and SKUs exist.</summary>
    private JsonNode? Valid(JsonNode schema, string name, int depth)
    {
        schema = api.Resolve(schema);
        if (known.TryGetValue(name, out var value) && api.Types(schema).Contains("string"))
        {
            return JsonValue.Create(value);
        }

        if (schema["enum"] is JsonArray values)
        {
            return values.First(v => v is not null)!.DeepClone();
        }

        return api.Types(schema).FirstOrDefault(t => t != "null") switch
        {
            "object" => new JsonObject((schema["properties"]?.AsObject() ?? [])
                .Select(p => KeyValuePair.Create(p.Key, depth < 6 ? Valid(p.Value!, p.Key, depth + 1) : null))),
            "array" => depth < 6 ? new JsonArray(Valid(schema["items"] ?? new JsonObject(), name, depth + 1)) : [],
            "integer" => JsonValue.Create(1),
            "number" => JsonValue.Create(2.5m),
            "boolean" => JsonValue.Create(true),
            _ when schema["format"]?.GetValue<string>() == "uuid" => JsonValue.Create(Guid.NewGuid()),
            _ when schema["format"]?.GetValue<string>() == "date-time" => JsonValue.Create(DateTimeOffset.UtcNow),
            _ when name.Contains("currency", StringComparison.OrdinalIgnoreCase) => JsonValue.Create("EUR"),
            _ when name.Equals("sku", StringComparison.OrdinalIgnoreCase) => JsonValue.Create($"FZ-{_random.Next(100000, 999999)}"),
            _ => JsonValue.Create($"fuzz-{_random.Next(1000)}"),
        };
    }

    private byte[] ValidBody(ApiOperation operation) =>
        operation.Body is null ? [] : Encoding.UTF8.GetBytes(Valid(operation.Body, "body", 0)!.ToJsonString());

    /// <summary>Every value inside a body, containers included, with the schema it must satisfy.</summary>
    private List<Leaf> Leaves(JsonNode node, JsonNode schema, string path)
    {
        var leaves = new List<Leaf>();
        schema = api.Resolve(schema);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    var propertySchema = schema["properties"]?[key] ?? new JsonObject();
                    var childPath = $"{path}.{key}";
                    leaves.Add(new Leaf(value ?? JsonValue.Create(0), obj, propertySchema, childPath, Key: key));
                    if (value is not null)
                    {
                        leaves.AddRange(Leaves(value, propertySchema, childPath));
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var itemSchema = schema["items"] ?? new JsonObject();
                    leaves.Add(new Leaf(array[i] ?? JsonValue.Create(0), array, itemSchema, $"{path}[{i}]", Index: i));
                    if (array[i] is { } item)
                    {
                        leaves.AddRange(Leaves(item, itemSchema, $"{path}[{i}]"));
                    }
                }

                break;
        }

        return leaves;
    }

    /// <summary>The objects of a body, the root first when it is one (a body schema may also be an array or a nullable wrapper).</summary>
    private List<Leaf> Objects(JsonNode body, JsonNode schema, string path) =>
        [.. body is JsonObject ? [new Leaf(body, null, schema, path)] : Array.Empty<Leaf>(), .. Leaves(body, schema, path).Where(l => l.Node is JsonObject)];

    /// <summary>Puts raw JSON text (valid or not: <c>NaN</c>, <c>01</c>) in place of a value; <see cref="Render"/> writes it out.</summary>
    private void Replace(JsonNode body, Leaf leaf, string json)
    {
        var marker = $"RAW-{_raw.Count}-{_random.Next():x8}";
        _raw[marker] = json;
        JsonNode value = JsonValue.Create(marker);
        switch (leaf.Parent)
        {
            case JsonObject parent:
                parent[leaf.Key!] = value;
                break;
            case JsonArray parent:
                parent[leaf.Index] = value;
                break;
            default:
                throw new InvalidOperationException($"Cannot replace the root of {body.ToJsonString()}");
        }
    }

    private string Render(JsonNode body) =>
        _raw.Aggregate(body.ToJsonString(), (text, raw) => text.Replace($"\"{raw.Key}\"", raw.Value, StringComparison.Ordinal));

    private string EdgeFor(JsonNode schema)
    {
        var types = api.Types(schema);
        var resolved = api.Resolve(schema);
        if (resolved["enum"] is JsonArray names)
        {
            var name = names.First(n => n is not null)!.GetValue<string>();
            return Pick([$"\"{name.ToLowerInvariant()}\"", $"\"{name.ToUpperInvariant()}\"", "\"\""]);
        }

        return types.FirstOrDefault(t => t != "null") switch
        {
            "integer" => Pick(IntegerEdges),
            "number" => Pick(NumberEdges),
            "string" => _random.Next(5) == 0 ? JsonSerializer.Serialize(new string('s', Pick([101, 201, 2001, 40_000]))) : Pick(StringEdges),
            "array" => Pick(["[]", "[" + string.Join(",", Enumerable.Repeat(Valid(resolved["items"] ?? new JsonObject(), "item", 1)?.ToJsonString() ?? "null", Pick([2, 51, 300]))) + "]"]),
            "boolean" => Pick(["true", "false"]),
            _ => "{}",
        };
    }

    private List<string> QueryEdges(ApiParameter parameter)
    {
        var schema = api.Resolve(parameter.Schema);
        if (schema["enum"] is JsonArray names)
        {
            return [.. names.Select(n => n!.GetValue<string>().ToLowerInvariant()), ""];
        }

        return api.Types(schema).FirstOrDefault(t => t != "null") switch
        {
            "integer" => ["2147483647", "-2147483648", "0", "-1", "1", "100", "101", " 5 ", "+3"],
            "boolean" => ["true", "FALSE", ""],
            _ => ["", new string('q', 101), new string('q', 5000), "%25", "🛒", "' or 1=1 --", "a%2Cb", "%E2%82%AC", "a%00b", "%FF"],
        };
    }

    private string ValidQueryValue(ApiParameter parameter)
    {
        var schema = api.Resolve(parameter.Schema);
        return schema["enum"] is JsonArray names ? names[0]!.GetValue<string>()
            : api.Types(schema).Contains("integer") ? "1"
            : api.Types(schema).Contains("boolean") ? "true"
            : schema["format"]?.GetValue<string>() == "uuid" ? Guid.NewGuid().ToString() : "x";
    }

    private List<(string Name, string Value)> Query(ApiOperation operation) =>
        operation.In("query").Where(_ => _random.Next(3) == 0).Select(p => (p.Name, Uri.EscapeDataString(ValidQueryValue(p)))).ToList();

    private static List<(string Name, string Value)> Headers(ApiOperation operation)
    {
        var headers = new List<(string, string)>();
        if (operation.Body is not null)
        {
            headers.Add(("Content-Type", "application/json"));
        }

        foreach (var header in operation.In("header"))
        {
            headers.Add((header.Name, header.Name == "Idempotency-Key" ? $"fuzz-{Guid.NewGuid()}" : "fuzz"));
        }

        return headers;
    }

    /// <summary>Path values: known ones (an existing SKU or order) or ones that exist nowhere, escaped.</summary>
    private Dictionary<string, string> PathValues(ApiOperation operation, bool known) =>
        operation.In("path").ToDictionary(p => p.Name, p =>
            known && KnownValue(p.Name) is { } value && !(operation.ChangesData && operation.Body is null)
                ? Uri.EscapeDataString(value)
                : api.Resolve(p.Schema)["format"]?.GetValue<string>() == "uuid" ? Guid.NewGuid().ToString() : $"NOPE-{_random.Next(100000, 999999)}");

    private string? KnownValue(string name) => known.GetValueOrDefault(name);

    private static string Target(ApiOperation operation, Dictionary<string, string> pathValues, List<(string Name, string Value)> query)
    {
        var path = pathValues.Aggregate(operation.Template, (template, p) => template.Replace($"{{{p.Key}}}", p.Value, StringComparison.Ordinal));
        return query.Count == 0 ? path : $"{path}?{string.Join("&", query.Select(q => $"{q.Name}={q.Value}"))}";
    }

    private FuzzCase BodyCase(string kind, ApiOperation operation, string json) =>
        Case(kind, operation, PathValues(operation, known: true), Query(operation), Headers(operation), Encoding.UTF8.GetBytes(json));

    private static FuzzCase Case(string kind, ApiOperation operation, Dictionary<string, string> pathValues, List<(string Name, string Value)> query,
        List<(string Name, string Value)> headers, byte[] body) =>
        new(kind, operation.Method, Target(operation, pathValues, query), headers, body);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static string Short(string text) => text.Length <= 40 ? text : $"{text[..20]}…({text.Length})";
}
