namespace Modular.Modules.Inventory.Contracts;

/// <summary>
/// Reserve every line of an order, or none of them. Answered by <see cref="StockReserved"/> or
/// <see cref="StockReservationRejected"/>; a second delivery for the same order changes nothing.
/// </summary>
public sealed record ReserveStock(Guid OrderId, IReadOnlyList<ReserveStock.Line> Lines)
{
    public sealed record Line(string Sku, int Quantity);
}
