namespace Modular.Modules.Inventory.Stock;

/// <summary>What the HTTP API shows of a SKU's stock.</summary>
public sealed record StockView(string Sku, int OnHand, int Reserved, int Available, bool Discontinued)
{
    public static StockView From(StockItem item) => new(item.Sku, item.OnHand, item.Reserved, item.Available, item.Discontinued);
}
