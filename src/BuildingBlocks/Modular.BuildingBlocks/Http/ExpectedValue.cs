using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// What a client must send for a value of a .NET type, said in JSON and HTTP terms: "an integer from 1 to 10",
/// "one of Placed, Confirmed", never <c>System.Int32</c> or a record's name.
/// </summary>
public static class ExpectedValue
{
    public static string Describe(JsonTypeInfo info) => info.Kind switch
    {
        JsonTypeInfoKind.Enumerable => "an array",
        JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
        _ => Describe(info.Type),
    };

    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type.IsEnum => $"one of {string.Join(", ", EnumNames(type).Keys)}",
            _ when type == typeof(string) || type == typeof(char) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) => Integer(int.MinValue, int.MaxValue),
            _ when type == typeof(long) => Integer(long.MinValue, long.MaxValue),
            _ when type == typeof(short) => Integer(short.MinValue, short.MaxValue),
            _ when type == typeof(byte) => Integer(byte.MinValue, byte.MaxValue),
            _ when type == typeof(sbyte) => Integer(sbyte.MinValue, sbyte.MaxValue),
            _ when type == typeof(ushort) => Integer(ushort.MinValue, ushort.MaxValue),
            _ when type == typeof(uint) => Integer(uint.MinValue, uint.MaxValue),
            _ when type == typeof(ulong) => Integer(ulong.MinValue, ulong.MaxValue),
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(Guid) => "a UUID",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time (ISO 8601)",
            _ when type == typeof(DateOnly) => "a date (yyyy-mm-dd)",
            _ when type == typeof(TimeOnly) || type == typeof(TimeSpan) => "a time (hh:mm:ss)",
            _ when type == typeof(Uri) => "a URI",
            _ => "a value of the documented shape",
        };
    }

    /// <summary>The names a client may send for each value of an enum, as the JSON converter writes them.</summary>
    public static IReadOnlyDictionary<string, object> EnumNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(
            field => field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name,
            field => field.GetValue(null)!,
            StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether <paramref name="raw"/>, taken from a query string, is a value of <paramref name="type"/> as the framework
    /// will parse it (invariant culture); enums only by a defined name. Null when the framework parses the type itself.
    /// </summary>
    public static bool? ParsesAs(string raw, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var culture = CultureInfo.InvariantCulture;
        return type switch
        {
            _ when type.IsEnum => EnumNames(type).ContainsKey(raw),
            _ when type == typeof(bool) => bool.TryParse(raw, out _),
            _ when type == typeof(int) => int.TryParse(raw, culture, out _),
            _ when type == typeof(long) => long.TryParse(raw, culture, out _),
            _ when type == typeof(short) => short.TryParse(raw, culture, out _),
            _ when type == typeof(byte) => byte.TryParse(raw, culture, out _),
            _ when type == typeof(sbyte) => sbyte.TryParse(raw, culture, out _),
            _ when type == typeof(ushort) => ushort.TryParse(raw, culture, out _),
            _ when type == typeof(uint) => uint.TryParse(raw, culture, out _),
            _ when type == typeof(ulong) => ulong.TryParse(raw, culture, out _),
            _ when type == typeof(decimal) => decimal.TryParse(raw, culture, out _),
            _ when type == typeof(double) => double.TryParse(raw, culture, out var d) && double.IsFinite(d),
            _ when type == typeof(float) => float.TryParse(raw, culture, out var f) && float.IsFinite(f),
            _ when type == typeof(Guid) => Guid.TryParse(raw, culture, out _),
            _ when type == typeof(DateTimeOffset) => DateTimeOffset.TryParse(raw, culture, out _),
            _ when type == typeof(DateTime) => DateTime.TryParse(raw, culture, out _),
            _ when type == typeof(DateOnly) => DateOnly.TryParse(raw, culture, out _),
            _ when type == typeof(TimeOnly) => TimeOnly.TryParse(raw, culture, out _),
            _ => null,
        };
    }

    private static string Integer<T>(T min, T max)
        where T : IBinaryInteger<T> =>
        string.Create(CultureInfo.InvariantCulture, $"an integer from {min} to {max}");
}
