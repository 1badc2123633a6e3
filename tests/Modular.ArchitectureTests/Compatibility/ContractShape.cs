using System.Reflection;
using Modular.BuildingBlocks.Modules;
using Modular.Testing.Compatibility;
using Wolverine.Util;

namespace Modular.ArchitectureTests.Compatibility;

/// <summary>
/// What another process relies on in a module's Contracts assembly: every public type by the name Wolverine sends it
/// under (its full name, or its <c>[MessageIdentity]</c>), each with its public properties (the JSON fields) and their types, nullability included,
/// and each enum with its members' values. See docs/adr/0034.
/// </summary>
public static class ContractShape
{
    public static Shape Of(Assembly contracts)
    {
        // Not thread-safe, so one per reading.
        var nullability = new NullabilityInfoContext();
        var messages = ModuleConventions.ContractMessageTypes(contracts).ToHashSet();
        // A message by its wire name; a type inside messages (an order line) by its full name, as it has none of its own.
        return new(contracts.GetExportedTypes()
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToDictionary(t => messages.Contains(t) ? t.ToMessageTypeName() : t.FullName!, IReadOnlyDictionary<string, string> (t) => FieldsOf(t, nullability), StringComparer.Ordinal));
    }

    /// <summary>
    /// What a consumer built against <paramref name="before"/> would no longer understand in <paramref name="current"/>:
    /// a type removed (renamed or moved: its full name is its identity on the wire), a field removed (or renamed), a
    /// field retyped (nullability and enum values included). Added types and fields are not breaking: a consumer
    /// ignores what it does not know.
    /// </summary>
    public static IReadOnlyList<string> BreakingChanges(Shape current, Shape before)
    {
        var changes = current.Since(before);
        return
        [
            .. changes.RemovedEntries.Select(type => $"{type} was removed, renamed or moved: consumers in other processes still send or expect it by that name."),
            .. changes.RemovedFields.Select(f => $"{f.Entry}.{f.Field} was removed or renamed: consumers still send or read it."),
            .. changes.ChangedFields.Select(f => $"{f.Entry}.{f.Field} was {f.Was}, is now {f.Now}: consumers read it as the old type."),
        ];
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
