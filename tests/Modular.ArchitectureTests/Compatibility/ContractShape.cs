using System.Reflection;
using System.Text;

namespace Modular.ArchitectureTests.Compatibility;

/// <summary>
/// What another process relies on in a module's Contracts assembly: every public type by its full name (the message
/// identity Wolverine sends), each with its public properties (the JSON fields) and their types, nullability included.
/// Written as text, one type a block, so a snapshot reads as a diff in review.
/// </summary>
public sealed record ContractShape(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Types)
{
    public static ContractShape Of(Assembly contracts)
    {
        // Not thread-safe, so one per reading.
        var nullability = new NullabilityInfoContext();
        return new(contracts.GetExportedTypes()
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToDictionary(t => t.FullName!, IReadOnlyDictionary<string, string> (t) => FieldsOf(t, nullability), StringComparer.Ordinal));
    }

    public static ContractShape Parse(string text)
    {
        var types = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? fields = null;
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (!line.StartsWith("  ", StringComparison.Ordinal))
            {
                types[line] = fields = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (fields is not null && line.Trim().Split(": ", 2) is [var name, var type])
            {
                fields[name] = type;
            }
        }

        return new ContractShape(types);
    }

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var (type, fields) in Types.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            text.Append(type).Append('\n');
            foreach (var (name, fieldType) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                text.Append("  ").Append(name).Append(": ").Append(fieldType).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// What a consumer built against <paramref name="before"/> would no longer understand in this shape: a type removed
    /// (renamed or moved: its full name is its identity on the wire), a field removed (or renamed), a field retyped (nullability and enum values included).
    /// Added types and fields are not breaking: a consumer ignores what it does not know.
    /// </summary>
    public IReadOnlyList<string> BreakingChangesSince(ContractShape before)
    {
        var breaking = new List<string>();
        foreach (var (type, oldFields) in before.Types)
        {
            if (!Types.TryGetValue(type, out var fields))
            {
                breaking.Add($"{type} was removed, renamed or moved: consumers in other processes still send or expect it by that name.");
                continue;
            }

            foreach (var (field, oldType) in oldFields)
            {
                if (!fields.TryGetValue(field, out var newType))
                {
                    breaking.Add($"{type}.{field} was removed or renamed: consumers still send or read it.");
                }
                else if (newType != oldType)
                {
                    breaking.Add($"{type}.{field} was {oldType}, is now {newType}: consumers read it as the old type.");
                }
            }
        }

        return breaking;
    }

    private static Dictionary<string, string> FieldsOf(Type type, NullabilityInfoContext nullability) =>
        type.IsEnum
            ? Enum.GetNames(type).Select((name, i) => (name, value: Convert.ToInt64(Enum.GetValues(type).GetValue(i), System.Globalization.CultureInfo.InvariantCulture)))
                .ToDictionary(e => e.name, e => $"= {e.value}", StringComparer.Ordinal)
            : type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetMethod is { IsPublic: true } && p.Name != "EqualityContract")
                .ToDictionary(p => p.Name, p => NameOf(p.PropertyType, nullability.Create(p)), StringComparer.Ordinal);

    private static string NameOf(Type type, NullabilityInfo nullability)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return NameOf(underlying, nullability) + "?";
        }

        var name = type.IsArray
            ? NameOf(type.GetElementType()!, nullability.ElementType!) + "[]"
            : type.IsGenericType
                ? $"{type.Namespace}.{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select((a, i) => NameOf(a, nullability.GenericTypeArguments[i])))}>"
                : type.FullName ?? type.Name;
        return !type.IsValueType && nullability.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }
}
