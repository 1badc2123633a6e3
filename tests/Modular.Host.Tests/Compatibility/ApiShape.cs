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
    private const string RequiredWord = "required";
    private const int DeepestField = 6;

    public static Shape Of(JsonNode document)
    {
        var routes = new OpenApiRoutes(document);
        return new Shape(routes.Operations.ToDictionary(o => o.ToString(), IReadOnlyDictionary<string, string> (o) => FieldsOf(routes, o), StringComparer.Ordinal));
    }

    /// <summary>
    /// What a client built against <paramref name="before"/> would be refused for, or could no longer call, in
    /// <paramref name="current"/>: an operation removed; a parameter or body field removed; a field that takes fewer
    /// JSON types, fewer enum values or a format it did not have; a field made required, or a required one added. A new
    /// operation, a new optional field, a wider field and a required field made optional are compatible.
    /// </summary>
    public static IReadOnlyList<string> BreakingChanges(Shape current, Shape before)
    {
        var changes = current.Since(before);
        return
        [
            .. changes.RemovedEntries.Select(operation => $"{operation} was removed: clients still call it."),
            .. changes.RemovedFields.Select(f => $"{f.Entry}: {f.Field} was removed: clients still send it."),
            .. changes.ChangedFields.Where(f => !Field.Read(f.Now).Accepts(Field.Read(f.Was))).Select(f => $"{f.Entry}: {f.Field} was {f.Was}, is now {f.Now}."),
            .. changes.AddedFields.Where(f => Field.Read(f.Now).Required)
                .Select(f => $"{f.Entry}: {f.Field} is new and required: clients that do not send it are refused."),
        ];
    }

    private static Dictionary<string, string> FieldsOf(OpenApiRoutes routes, ApiOperation operation)
    {
        var fields = operation.Parameters.ToDictionary(p => $"{p.In}.{p.Name}", p => Describe(routes, p.Schema, p.Required), StringComparer.Ordinal);
        if (operation.Body is { } body)
        {
            fields["body"] = Describe(routes, body, operation.BodyRequired);
            foreach (var alternative in Alternatives(routes, body))
            {
                AddFields(routes, alternative, "body", fields, 0);
            }
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
                foreach (var alternative in Alternatives(routes, property!))
                {
                    AddFields(routes, alternative, $"{path}.{name}", fields, depth + 1);
                }
            }
        }
    }

    private static string Describe(OpenApiRoutes routes, JsonNode schema, bool required)
    {
        var alternatives = Alternatives(routes, schema).ToList();
        var types = alternatives.SelectMany(routes.Types).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var formats = alternatives.Select(a => a["format"]?.GetValue<string>()).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var values = alternatives.SelectMany(a => a["enum"]?.AsArray() ?? []).OfType<JsonNode>()
            .Select(v => v.ToJsonString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new Field(types.Count == 0 ? new HashSet<string>(["any"], StringComparer.Ordinal) : types.ToHashSet(StringComparer.Ordinal),
            formats.Count == 1 ? formats[0] : null, values.Count == 0 ? null : values.ToHashSet(StringComparer.Ordinal), required).ToString();
    }

    /// <summary>The schema itself, or each schema of its <c>anyOf</c>, <c>oneOf</c> and <c>allOf</c> (a nullable body is an <c>anyOf</c> with null).</summary>
    private static IEnumerable<JsonNode> Alternatives(OpenApiRoutes routes, JsonNode schema)
    {
        schema = routes.Resolve(schema);
        var nested = new[] { "anyOf", "oneOf", "allOf" }.SelectMany(k => schema[k]?.AsArray() ?? []).OfType<JsonNode>().ToList();
        return nested.Count == 0 ? [schema] : nested.SelectMany(n => Alternatives(routes, n));
    }

    /// <summary>A field as the snapshot writes it: <c>string|null format=uuid enum="A","B" required</c>.</summary>
    private sealed record Field(IReadOnlySet<string> Types, string? Format, IReadOnlySet<string>? Values, bool Required)
    {
        public static Field Read(string description)
        {
            var parts = description.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string? Part(string name) => parts.FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
            return new Field(parts[0].Split('|').ToHashSet(StringComparer.Ordinal), Part("format"),
                Part("enum")?.Split(',').ToHashSet(StringComparer.Ordinal), parts.Contains(RequiredWord));
        }

        /// <summary>Whether this field takes everything a client sent when it was <paramref name="was"/>.</summary>
        public bool Accepts(Field was) =>
            (Types.Contains("any") || Types.IsSupersetOf(was.Types))
            && (Format is null || Format == was.Format)
            && (Values is null || (was.Values is not null && Values.IsSupersetOf(was.Values)))
            && (was.Required || !Required);

        public override string ToString() =>
            string.Join(' ', new[]
            {
                string.Join('|', Types.Order(StringComparer.Ordinal)), Format is null ? null : $"format={Format}",
                Values is null ? null : $"enum={string.Join(',', Values.Order(StringComparer.Ordinal))}", Required ? RequiredWord : null,
            }.OfType<string>());
    }
}
