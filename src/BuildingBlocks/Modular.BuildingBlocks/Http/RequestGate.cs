using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Modular.BuildingBlocks.Hosting;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// Checks what a routed request carries against what its endpoint declares, before any endpoint code runs, for every
/// route of every module: a JSON body (Content-Type, size, strict JSON against the request type), typed query
/// values (enums by a defined name only) and single-valued headers. The endpoint's declarations come from the framework: its
/// <see cref="IAcceptsMetadata"/> and its API description, the same ones the OpenAPI document is built from.
/// A refused request gets a problem naming the field in the client's terms and never reaches the endpoint, so
/// Wolverine's own JSON reader (which logs every bad body as an Error with a stack trace, and answers with
/// serializer messages naming .NET types) only ever reads bodies that are known to be good. See docs/adr/0014.
/// </summary>
public sealed class RequestGate(
    RequestDelegate next,
    IOptions<JsonOptions> json,
    ModularOptions settings,
    IApiDescriptionGroupCollectionProvider apiDescriptions,
    IProblemDetailsService problems,
    ILogger<RequestGate> logger)
{
    private const string InvalidBody = "The request body is invalid.";
    private readonly Lazy<JsonSerializerOptions> _gateJson = new(() => StrictJson.ForGate(json.Value.SerializerOptions));
    private readonly ConcurrentDictionary<RouteEndpoint, Declared> _declared = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            await next(context);
            return;
        }

        var declared = _declared.GetOrAdd(endpoint, Declare);
        var refusal = ParameterRefusal(context, declared) ?? await BodyRefusalAsync(context, declared);
        if (refusal is not null)
        {
            await ClientErrors.WriteAsync(context, refusal, problems, logger);
            return;
        }

        await next(context);
    }

    private static HttpValidationProblemDetails? ParameterRefusal(HttpContext context, Declared declared)
    {
        // The API description is built once, on first need: a request without a query or a repeated header (a health
        // probe) never waits for it.
        if (!context.Request.QueryString.HasValue && !context.Request.Headers.Any(h => h.Value.Count > 1))
        {
            return null;
        }

        var parameters = declared.Parameters.Value;
        // A header the endpoint binds to one value: the framework reads it with SingleOrDefault, which throws on two.
        if (parameters.Headers.FirstOrDefault(name => context.Request.Headers[name].Count > 1) is { } repeated)
        {
            return ClientErrors.Invalid("The request is invalid.", repeated, "given more than once.");
        }

        // PostgreSQL cannot take U+0000 in text: a query value carrying one would fail the query with a 500.
        if (context.Request.Query.FirstOrDefault(q => q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)) is { Key: { } withNul })
        {
            return ClientErrors.Invalid("The request is invalid.", withNul, "text must not contain the NUL character (%00).");
        }

        var empty = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, type) in parameters.Query)
        {
            var values = context.Request.Query[name];
            var itemType = type.IsArray ? type.GetElementType()! : type;
            if (values.Count > 1 && !type.IsArray)
            {
                return ClientErrors.Invalid("The request is invalid.", name, "given more than once.");
            }

            if (values.FirstOrDefault(v => !string.IsNullOrEmpty(v) && ExpectedValue.ParsesAs(v, itemType) == false) is not null)
            {
                return ClientErrors.Invalid("The request is invalid.", name, $"expected {ExpectedValue.Describe(itemType)}.");
            }

            if (itemType != typeof(string) && values.Any(string.IsNullOrEmpty))
            {
                empty.Add(name);
            }
        }

        WithoutEmptyValues(context.Request, empty);
        return null;
    }

    /// <summary>
    /// A query value given empty (<c>?page=</c>, as an HTML form sends a blank field) is taken as not given. Wolverine's
    /// endpoints read it so; ASP.NET Core's minimal API endpoints (the platform's) would fail to bind it to a number or
    /// a flag with an exception, logged as an Error. Removing it here gives every route the same reading.
    /// </summary>
    private static void WithoutEmptyValues(HttpRequest request, HashSet<string> empty)
    {
        if (empty.Count > 0)
        {
            request.Query = new QueryCollection(request.Query
                .Select(q => (q.Key, Value: empty.Contains(q.Key) ? new StringValues(q.Value.Where(v => !string.IsNullOrEmpty(v)).ToArray()) : q.Value))
                .Where(q => q.Value.Count > 0)
                .ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase));
        }
    }

    private async Task<ProblemDetails?> BodyRefusalAsync(HttpContext context, Declared declared)
    {
        var request = context.Request;
        if (declared.Body is not { } bodyType || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return null;
        }

        var sent = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (declared.BodyIsOptional && !sent)
        {
            return null;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !declared.ContentTypes.Any(mediaType.IsSubsetOf)
            || (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return ClientErrors.Problem(StatusCodes.Status415UnsupportedMediaType, "The request body has an unsupported media type.",
                $"Send the body as {declared.ContentTypes[0]} in UTF-8, with a Content-Type header that says so.");
        }

        var body = await ReadBoundedAsync(context);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        var bytes = body.Bytes;
        request.Body = new MemoryStream(bytes, writable: false);
        if (bytes.Length == 0)
        {
            return ClientErrors.Invalid(InvalidBody, "$", "a JSON body is required.");
        }

        if (!Utf8.IsValid(bytes))
        {
            return ClientErrors.Invalid(InvalidBody, "$", "the body is not valid UTF-8.");
        }

        // RFC 8259 lets a parser ignore a byte order mark; Wolverine's stream reader does, so the gate does too.
        var utf8 = bytes.AsMemory(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0);
        try
        {
            return JsonSerializer.Deserialize(utf8.Span, bodyType, _gateJson.Value) is null
                ? ClientErrors.Invalid(InvalidBody, "$", $"expected {ExpectedValue.Describe(_gateJson.Value.GetTypeInfo(bodyType))}, not null.")
                : null;
        }
        catch (JsonException refused)
        {
            return Describe(refused, utf8, bodyType);
        }
    }

    /// <summary>Broken JSON is named by line and byte; JSON of the wrong shape by the path and what belongs there.</summary>
    private HttpValidationProblemDetails Describe(JsonException refused, ReadOnlyMemory<byte> utf8, Type bodyType)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = _gateJson.Value.MaxDepth });
        }
        catch (JsonException syntax)
        {
            return ClientErrors.Invalid(InvalidBody, syntax.Path ?? "$",
                $"not valid JSON (line {syntax.LineNumber + 1}, byte {syntax.BytePositionInLine + 1}).");
        }

        using (document)
        {
            var (path, problem) = JsonBodyProblem.Describe(refused, document, bodyType, _gateJson.Value);
            return ClientErrors.Invalid(InvalidBody, path, problem);
        }
    }

    /// <summary>Reads the body, but never more than the configured limit: a larger one is refused, not buffered.</summary>
    private async Task<(byte[] Bytes, ProblemDetails? Refusal)> ReadBoundedAsync(HttpContext context)
    {
        var limit = settings.MaxRequestBodyBytes;
        var tooLarge = ClientErrors.Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
            $"This API takes request bodies of at most {limit} bytes.");
        if (context.Request.ContentLength > limit)
        {
            return ([], tooLarge);
        }

        var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return ([], tooLarge);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException unreadable)
        {
            // Kestrel's own limits and framing checks on the body (too large, cut short, bad chunking).
            return ([], unreadable.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? tooLarge
                : ClientErrors.Problem(unreadable.StatusCode, "The request body could not be read.", "The body ended early or its framing is malformed."));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (buffer.ToArray(), null);
    }

    private Declared Declare(RouteEndpoint endpoint)
    {
        var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
        var jsonTypes = accepts?.ContentTypes
            .Where(t => MediaTypeHeaderValue.TryParse(t, out var m) && (m.SubTypeWithoutSuffix.Equals("json", StringComparison.OrdinalIgnoreCase) || m.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
            .Select(t => MediaTypeHeaderValue.Parse(t))
            .ToList() ?? [];
        return new Declared(
            accepts?.RequestType is { } type && jsonTypes.Count > 0 ? type : null,
            accepts?.IsOptional ?? false,
            jsonTypes,
            new Lazy<DeclaredParameters>(() => DeclareParameters(endpoint)));
    }

    private DeclaredParameters DeclareParameters(RouteEndpoint endpoint)
    {
        var route = endpoint.RoutePattern.RawText?.TrimStart('/');
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
        var parameters = apiDescriptions.ApiDescriptionGroups.Items
            .SelectMany(group => group.Items)
            .Where(d => string.Equals(d.RelativePath, route, StringComparison.OrdinalIgnoreCase)
                        && methods.Contains(d.HttpMethod ?? "", StringComparer.OrdinalIgnoreCase))
            .SelectMany(d => d.ParameterDescriptions)
            .Where(p => p.Type is not null)
            .ToList();

        return new DeclaredParameters(
            [.. parameters.Where(p => p.Source == BindingSource.Query).Select(p => (p.Name, p.Type)).DistinctBy(p => p.Name)],
            [.. parameters.Where(p => p.Source == BindingSource.Header && !p.Type.IsArray).Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>What an endpoint declares it reads: a JSON body of some type, and its parameters.</summary>
    private sealed record Declared(Type? Body, bool BodyIsOptional, IReadOnlyList<MediaTypeHeaderValue> ContentTypes, Lazy<DeclaredParameters> Parameters);

    /// <summary>Typed query parameters and single-valued headers, from the endpoint's API description.</summary>
    private sealed record DeclaredParameters(IReadOnlyList<(string Name, Type Type)> Query, IReadOnlyList<string> Headers);
}
