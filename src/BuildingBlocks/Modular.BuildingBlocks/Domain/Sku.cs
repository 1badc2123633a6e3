namespace Modular.BuildingBlocks.Domain;

/// <summary>
/// A stock-keeping unit as every module keeps it: Catalog assigns it, Inventory and Ordering key their copies by it, so
/// all three must agree on its form.
/// </summary>
public static class Sku
{
    public const int MaxLength = 40;

    /// <summary>Trimmed and upper-cased, so that <c>abc-1</c> and <c> ABC-1 </c> are one product.</summary>
    public static string Normalize(string sku) => sku.Trim().ToUpperInvariant();

    /// <summary>True when <paramref name="sku"/> is already in the form Catalog publishes.</summary>
    public static bool IsNormalized(string? sku) =>
        !string.IsNullOrEmpty(sku) && sku.Length <= MaxLength && string.Equals(sku, Normalize(sku), StringComparison.Ordinal);
}
