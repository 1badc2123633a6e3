using System.Globalization;

namespace Modular.BuildingBlocks.Domain;

/// <summary>An amount in an ISO 4217 currency. Decimal, never floating point.</summary>
public sealed record Money(decimal Amount, string Currency)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount:0.00##} {Currency}");
}

/// <summary>The ISO 4217 codes known to the runtime's culture data (ICU).</summary>
public static class Currencies
{
    private static readonly Lazy<HashSet<string>> Known = new(() => CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => new RegionInfo(c.Name).ISOCurrencySymbol)
        .Where(code => code.Length == 3)
        .ToHashSet(StringComparer.Ordinal));

    public static bool IsIso4217(string? code) => code is { Length: 3 } && Known.Value.Contains(code);
}
