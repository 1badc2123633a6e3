namespace Modular.Modules.Inventory.Contracts;

public sealed record StockReserved(Guid OrderId, IReadOnlyList<ReserveStock.Line> Lines, DateTimeOffset ReservedAt);
