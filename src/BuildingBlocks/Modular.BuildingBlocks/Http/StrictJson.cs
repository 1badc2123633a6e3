using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// How request bodies are read: JSON as RFC 8259 and the OpenAPI document describe it, nothing guessed. Applied to
/// the options that minimal APIs and Wolverine endpoints both read bodies with (<c>ConfigureHttpJsonOptions</c>;
/// Wolverine.Http takes <c>IOptions&lt;Microsoft.AspNetCore.Http.Json.JsonOptions&gt;</c>), and tightened further
/// for the <see cref="RequestGate"/>, which reads every body before its endpoint does. See docs/adr/0014.
/// </summary>
public static class StrictJson
{
    /// <summary>The framework options: every setting here also shapes what the OpenAPI document tells clients.</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        // The web defaults read "5" as the number 5; a number is a number.
        options.NumberHandling = JsonNumberHandling.Strict;
        // A misspelt optional field would otherwise be dropped without a word; refused, it is named.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // {"quantity":1,"quantity":900} must not mean whichever one a parser happens to keep.
        options.AllowDuplicateProperties = false;
        // Names only: 99 or "99" is not an order status. The built-in converter keeps enum names in the OpenAPI schema.
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
    }

    /// <summary>
    /// The gate's options: the framework's, plus checks that must not shape how responses are written or documented.
    /// A null where the request record's nullable annotations forbid one is refused (on the framework options this
    /// would also make writing such a null fail a response); a constructor parameter that is neither nullable nor
    /// defaulted is a required field (an omitted <c>string? Description</c> stays an omitted, null, description); and an
    /// enum is one defined name, not a comma-separated combination (a custom converter on the framework options
    /// would drop the enum's names from the OpenAPI schema). And no string holds U+0000, which PostgreSQL cannot store
    /// in text or jsonb: written to a module's store it would fail the commit with a 500.
    /// </summary>
    public static JsonSerializerOptions ForGate(JsonSerializerOptions framework)
    {
        var gate = new JsonSerializerOptions(framework)
        {
            RespectNullableAnnotations = true,
            TypeInfoResolver = (framework.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(RequireNonNullableParameters),
        };
        gate.Converters.Insert(0, new DefinedEnumNames());
        gate.Converters.Insert(0, new StringsWithoutNul());
        gate.MakeReadOnly(populateMissingResolver: true);
        return gate;
    }

    private static void RequireNonNullableParameters(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false })
            {
                property.IsRequired = true;
            }
        }
    }

    private sealed class StringsWithoutNul : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && reader.GetString() is { } text && !text.Contains('\0', StringComparison.Ordinal)
                ? text
                : throw new JsonException();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            throw new NotSupportedException("The gate's options only read.");
    }

    /// <summary>Reads an enum only from exactly one of its defined names (any case); writes are never done with it.</summary>
    private sealed class DefinedEnumNames : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Names<>).MakeGenericType(typeToConvert))!;

        private sealed class Names<T> : JsonConverter<T>
            where T : struct, Enum
        {
            private static readonly IReadOnlyDictionary<string, object> Defined = ExpectedValue.EnumNames(typeof(T));

            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                reader.TokenType == JsonTokenType.String && Defined.TryGetValue(reader.GetString()!, out var value)
                    ? (T)value
                    : throw new JsonException();

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                throw new NotSupportedException("The gate's options only read.");
        }
    }
}
