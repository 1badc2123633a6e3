using System.Text.Json.Serialization;

namespace Modular.Modules.Ordering.Pricing;

/// <summary>
/// Ordering's own copy of what Catalog sells at which price, kept current from Catalog's events, so that placing an
/// order asks no other module anything. Events may arrive out of order: a price only replaces an older one.
/// </summary>
public sealed class CatalogPrice
{
    [JsonConstructor]
    private CatalogPrice(string sku, string name, decimal price, string currency, bool discontinued, DateTimeOffset asOf)
    {
        Sku = sku;
        Name = name;
        Price = price;
        Currency = currency;
        Discontinued = discontinued;
        AsOf = asOf;
    }

    public string Sku { get; }

    [JsonInclude]
    public string Name { get; private set; }

    [JsonInclude]
    public decimal Price { get; private set; }

    [JsonInclude]
    public string Currency { get; private set; }

    [JsonInclude]
    public bool Discontinued { get; private set; }

    /// <summary>When Catalog set the price this copy holds.</summary>
    [JsonInclude]
    public DateTimeOffset AsOf { get; private set; }

    public static CatalogPrice Unknown(string sku) => new(sku, "", 0m, "", false, DateTimeOffset.MinValue);

    public bool IsSellable => !Discontinued && Price > 0m;

    public void Named(string name) => Name = name;

    /// <summary>False when <paramref name="asOf"/> is older than the price held, which then stays.</summary>
    public bool Reprice(decimal price, string currency, DateTimeOffset asOf)
    {
        if (asOf < AsOf)
        {
            return false;
        }

        (Price, Currency, AsOf) = (price, currency, asOf);
        return true;
    }

    public void Discontinue() => Discontinued = true;
}
