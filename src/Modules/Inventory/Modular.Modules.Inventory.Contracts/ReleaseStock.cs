namespace Modular.Modules.Inventory.Contracts;

/// <summary>
/// Give back what an order holds. Always answered by <see cref="StockReleased"/>, even when nothing was held; a
/// release that arrives before its reservation makes that reservation a no-op.
/// </summary>
public sealed record ReleaseStock(Guid OrderId);
