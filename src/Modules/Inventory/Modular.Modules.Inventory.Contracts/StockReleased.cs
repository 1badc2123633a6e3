namespace Modular.Modules.Inventory.Contracts;

/// <summary>What the order held is available again; <paramref name="Lines"/> is empty when it held nothing.</summary>
public sealed record StockReleased(Guid OrderId, IReadOnlyList<ReserveStock.Line> Lines, DateTimeOffset ReleasedAt);
