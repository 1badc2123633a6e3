using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// Says why the serializer refused a request body in the client's terms: the JSON path it stopped at and what the
/// API expects there, found by walking the body and the request type's JSON contract side by side. The serializer's
/// own message is never shown: it names .NET types.
/// </summary>
public static class JsonBodyProblem
{
    public static (string Path, string Problem) Describe(JsonException failure, JsonDocument body, Type requestType, JsonSerializerOptions options)
    {
        var path = failure.Path ?? "$";
        var names = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var info = options.GetTypeInfo(requestType);
        JsonElement? element = body.RootElement;

        foreach (var segment in Segments(path))
        {
            if (segment is int index)
            {
                if (info is not { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } itemType })
                {
                    return (path, $"expected {ExpectedValue.Describe(info)}.");
                }

                info = options.GetTypeInfo(itemType);
                element = element is { ValueKind: JsonValueKind.Array } array && index < array.GetArrayLength() ? array[index] : null;
                continue;
            }

            var name = (string)segment;
            var occurrences = element is { ValueKind: JsonValueKind.Object } parent
                ? parent.EnumerateObject().Where(p => names.Equals(p.Name, name)).Select(p => p.Value).ToList()
                : [];
            if (occurrences.Count > 1)
            {
                return (path, "given more than once.");
            }

            if (info is { Kind: JsonTypeInfoKind.Dictionary, ElementType: { } valueType })
            {
                info = options.GetTypeInfo(valueType);
            }
            else if (info.Kind == JsonTypeInfoKind.Object && info.Properties.FirstOrDefault(p => names.Equals(p.Name, name)) is { } property)
            {
                info = options.GetTypeInfo(property.PropertyType);
            }
            else
            {
                return (path, info.Kind == JsonTypeInfoKind.Object ? "unknown field." : $"expected {ExpectedValue.Describe(info)}.");
            }

            element = occurrences.Count == 1 ? occurrences[0] : null;
        }

        if (element is { ValueKind: JsonValueKind.Null })
        {
            return (path, $"expected {ExpectedValue.Describe(info)}, not null.");
        }

        if (element is { ValueKind: JsonValueKind.String } text && info.Type == typeof(string) && HasNul(text))
        {
            return (path, "text must not contain the NUL character (\\u0000).");
        }

        if (info.Kind == JsonTypeInfoKind.Object && element is { ValueKind: JsonValueKind.Object } given)
        {
            var missing = info.Properties
                .Where(p => p.IsRequired)
                .Where(p => !given.EnumerateObject().Any(field => names.Equals(field.Name, p.Name)))
                .Select(p => p.Name)
                .ToList();
            if (missing.Count > 0)
            {
                return (path, $"missing required field{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}.");
            }
        }

        return (path, $"expected {ExpectedValue.Describe(info)}.");
    }

    private static bool HasNul(JsonElement text)
    {
        try
        {
            return text.GetString()!.Contains('\0', StringComparison.Ordinal);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Property names and array indexes of a path as System.Text.Json writes it: <c>$.lines[0]['odd.name']</c>.</summary>
    private static List<object> Segments(string path)
    {
        var segments = new List<object>();
        var at = path.StartsWith('$') ? 1 : 0;
        while (at < path.Length)
        {
            if (path[at] == '.')
            {
                var end = path.IndexOfAny(['.', '['], at + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(at + 1)..end]);
                at = end;
            }
            else if (path.AsSpan(at).StartsWith("['"))
            {
                var end = path.IndexOf("']", at + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(at + 2)..end]);
                at = end + 2;
            }
            else if (path[at] == '[')
            {
                var end = path.IndexOf(']', at);
                end = end < 0 ? path.Length : end;
                segments.Add(int.TryParse(path.AsSpan(at + 1, end - at - 1), out var index) ? index : int.MaxValue);
                at = end + 1;
            }
            else
            {
                break;
            }
        }

        return segments;
    }
}
