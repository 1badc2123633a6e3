using System.Text.Json.Serialization;

namespace Modular.Modules.Inventory.Stock;

/// <summary>
/// The stock of one SKU. Invariant: <c>0 &lt;= Reserved &lt;= OnHand &lt;= MaxOnHand</c>, so <see cref="Available"/> is
/// never negative and no sum of quantities can overflow. Inventory learns of a SKU from Catalog's events; only then can
/// it receive stock.
/// </summary>
public sealed class StockItem
{
    /// <summary>More units of one SKU than any warehouse of this shop holds; far below where an int would overflow.</summary>
    public const int MaxOnHand = 10_000_000;

    [JsonConstructor]
    private StockItem(string sku, int onHand, int reserved, bool discontinued)
    {
        Sku = sku;
        OnHand = onHand;
        Reserved = reserved;
        Discontinued = discontinued;
    }

    public string Sku { get; }

    [JsonInclude]
    public int OnHand { get; private set; }

    [JsonInclude]
    public int Reserved { get; private set; }

    [JsonInclude]
    public bool Discontinued { get; private set; }

    [JsonIgnore]
    public int Available => OnHand - Reserved;

    public static StockItem For(string sku) => new(sku, 0, 0, false);

    /// <summary>SKUs as Catalog keeps them: trimmed and upper-cased.</summary>

    public void Discontinue() => Discontinued = true;

    /// <summary>Why <paramref name="quantity"/> cannot be received, or null when it can.</summary>
    public string? CannotReceive(int quantity) =>
        quantity > MaxOnHand - OnHand
            ? $"{OnHand} on hand plus {quantity} received would exceed the maximum of {MaxOnHand} units of one SKU"
            : null;

    public void Receive(int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        if (CannotReceive(quantity) is { } reason)
        {
            throw new InvalidOperationException($"Cannot receive {quantity} of {Sku}: {reason}.");
        }

        OnHand += quantity;
    }

    /// <summary>Why <paramref name="quantity"/> cannot be reserved, or null when it can.</summary>
    public string? CannotReserve(int quantity) =>
        Discontinued ? "discontinued"
        : quantity > Available ? "insufficient stock"
        : null;

    public void Reserve(int quantity)
    {
        if (CannotReserve(quantity) is { } reason)
        {
            throw new InvalidOperationException($"Cannot reserve {quantity} of {Sku}: {reason}.");
        }

        Reserved += quantity;
    }

    public void Release(int quantity)
    {
        if (quantity > Reserved)
        {
            throw new InvalidOperationException($"Cannot release {quantity} of {Sku}: only {Reserved} reserved.");
        }

        Reserved -= quantity;
    }
}
