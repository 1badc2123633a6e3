using System.Text.Json.Nodes;

namespace Modular.Host.Tests.Input;

/// <summary>One parameter of an operation as the OpenAPI document declares it: in path, query or header.</summary>
public sealed record ApiParameter(string Name, string In, JsonNode Schema, bool Required);

/// <summary>One operation of the running app's OpenAPI document, its schemas resolved against the document.</summary>
public sealed record ApiOperation(string Method, string Template, IReadOnlyList<ApiParameter> Parameters, JsonNode? Body, bool BodyRequired)
{
    public bool ChangesData => Method is not ("GET" or "HEAD");

    public IEnumerable<ApiParameter> In(string location) => Parameters.Where(p => p.In == location);

    public override string ToString() => $"{Method} {Template}";
}

/// <summary>The routes the running app answers, read from its OpenAPI document: a new route is fuzzed the day it is added.</summary>
public sealed class OpenApiRoutes(JsonNode document)
{
    public IReadOnlyList<ApiOperation> Operations { get; } =
    [
        .. document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(operation => operation.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(operation => new ApiOperation(
                operation.Key.ToUpperInvariant(),
                path.Key,
                (operation.Value!["parameters"]?.AsArray() ?? []).Select(p => new ApiParameter(
                    p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(),
                    p["schema"] ?? new JsonObject(), p["required"]?.GetValue<bool>() ?? false)).ToList(),
                operation.Value["requestBody"]?["content"]?["application/json"]?["schema"],
                operation.Value["requestBody"]?["required"]?.GetValue<bool>() ?? false))),
    ];

    /// <summary>Follows a <c>$ref</c> to the component it names.</summary>
    public JsonNode Resolve(JsonNode schema)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = reference.Split('/').Skip(1).Aggregate(document, (node, part) => node[part]!);
        }

        return schema;
    }

    /// <summary>The JSON types a schema allows (<c>type</c> is a string or, in OpenAPI 3.1, an array), <c>null</c> included.</summary>
    public IReadOnlyList<string> Types(JsonNode schema)
    {
        schema = Resolve(schema);
        return schema["type"] switch
        {
            JsonArray many => [.. many.Select(t => t!.GetValue<string>())],
            JsonValue one => [one.GetValue<string>()],
            _ when schema["enum"] is not null => ["string"],
            _ when schema["properties"] is not null => ["object"],
            _ => [],
        };
    }
}
