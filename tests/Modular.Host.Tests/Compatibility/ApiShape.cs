using System.Text.Json.Nodes;
using Modular.Host.Tests.Input;
using Modular.Testing.Compatibility;

namespace Modular.Host.Tests.Compatibility;

/// <summary>
/// What an HTTP client relies on in a process's OpenAPI document: each operation (<c>METHOD /template</c>) with its
/// parameters and the fields of its JSON body, each with the JSON types it takes and whether it is required. Requests
/// are read strictly (docs/adr/0014), so a field the server stops knowing is refused, not ignored. See docs/adr/0034.
/// </summary>
public static class ApiShape
{
    private const string Required = " required";
    private const int DeepestField = 6;

    public static Shape Of(JsonNode document)
    {
        var routes = new OpenApiRoutes(document);
        return new Shape(routes.Operations.ToDictionary(o => o.ToString(), IReadOnlyDictionary<string, string> (o) => FieldsOf(routes, o), StringComparer.Ordinal));
    }

    /// <summary>
    /// What a client built against <paramref name="before"/> would be refused for, or could no longer call, in
    /// <paramref name="current"/>: an operation removed, a parameter or body field removed, a type it took no longer
    /// taken, a field made required or a required one added. A new operation, a new optional field, a wider type, and a
    /// required field made optional are compatible.
    /// </summary>
    public static IReadOnlyList<string> BreakingChanges(Shape current, Shape before)
    {
        var changes = current.Since(before);
        return
        [
            .. changes.RemovedEntries.Select(operation => $"{operation} was removed: clients still call it."),
            .. changes.RemovedFields.Select(f => $"{f.Entry}: {f.Field} was removed: clients still send it, and requests are read strictly."),
            .. changes.ChangedFields.Where(f => !Accepts(f.Now, f.Was)).Select(f => $"{f.Entry}: {f.Field} was {f.Was}, is now {f.Now}."),
            .. changes.AddedFields.Where(f => f.Now.EndsWith(Required, StringComparison.Ordinal))
                .Select(f => $"{f.Entry}: {f.Field} is new and required: clients that do not send it are refused."),
        ];
    }

    /// <summary>Whether a field described <paramref name="now"/> takes everything a client sent when it was <paramref name="was"/>.</summary>
    private static bool Accepts(string now, string was)
    {
        var (nowTypes, nowRequired) = Read(now);
        var (wasTypes, wasRequired) = Read(was);
        return nowTypes.IsSupersetOf(wasTypes) && (wasRequired || !nowRequired);
    }

    private static (HashSet<string> Types, bool Required) Read(string description)
    {
        var required = description.EndsWith(Required, StringComparison.Ordinal);
        var types = required ? description[..^Required.Length] : description;
        return (types.Split('|').ToHashSet(StringComparer.Ordinal), required);
    }

    private static Dictionary<string, string> FieldsOf(OpenApiRoutes routes, ApiOperation operation)
    {
        var fields = operation.Parameters.ToDictionary(p => $"{p.In}.{p.Name}", p => Describe(routes, p.Schema, p.Required), StringComparer.Ordinal);
        if (operation.Body is { } body)
        {
            fields["body"] = Describe(routes, body, operation.BodyRequired);
            AddFields(routes, body, "body", fields, 0);
        }

        return fields;
    }

    private static void AddFields(OpenApiRoutes routes, JsonNode schema, string path, Dictionary<string, string> fields, int depth)
    {
        schema = routes.Resolve(schema);
        if (depth >= DeepestField)
        {
            return;
        }

        if (schema["items"] is { } items)
        {
            AddFields(routes, items, path + "[]", fields, depth + 1);
        }

        if (schema["properties"] is JsonObject properties)
        {
            var required = (schema["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, property) in properties)
            {
                fields[$"{path}.{name}"] = Describe(routes, property!, required.Contains(name));
                AddFields(routes, property!, $"{path}.{name}", fields, depth + 1);
            }
        }
    }

    private static string Describe(OpenApiRoutes routes, JsonNode schema, bool required)
    {
        var types = routes.Types(schema).Order(StringComparer.Ordinal).ToList();
        return (types.Count == 0 ? "any" : string.Join('|', types)) + (required ? Required : string.Empty);
    }
}
