namespace Modular.Modules.Inventory.Contracts;

/// <summary>Nothing was reserved; <paramref name="Rejections"/> says why, line by line.</summary>
public sealed record StockReservationRejected(Guid OrderId, IReadOnlyList<StockReservationRejected.Rejection> Rejections, DateTimeOffset RejectedAt)
{
    public sealed record Rejection(string Sku, int Requested, int Available, string Reason);
}
