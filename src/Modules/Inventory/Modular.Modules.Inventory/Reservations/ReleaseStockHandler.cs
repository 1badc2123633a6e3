using FluentValidation;
using Marten;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Inventory.Stock;
using Wolverine.Marten;

namespace Modular.Modules.Inventory.Reservations;

public sealed class ReleaseStockValidator : AbstractValidator<ReleaseStock>
{
    public ReleaseStockValidator() => RuleFor(x => x.OrderId).NotEmpty();
}

/// <summary>
/// Gives back what an order holds, and always answers <see cref="StockReleased"/>. A release that comes before the
/// reservation leaves a released reservation behind, so the late reservation is refused instead of holding stock.
/// </summary>
public static class ReleaseStockHandler
{
    public static async Task<(Reservation?, IReadOnlyDictionary<string, StockItem>)> LoadAsync(
        ReleaseStock command, IDocumentSession session, CancellationToken cancellation)
    {
        var reservation = await session.LoadAsync<Reservation>(command.OrderId, cancellation);
        if (reservation is not { Status: ReservationStatus.Held })
        {
            return (reservation, new Dictionary<string, StockItem>());
        }

        var items = await session.LoadManyAsync<StockItem>(cancellation, reservation.Lines.Select(l => l.Sku));
        return (reservation, items.ToDictionary(i => i.Sku, StringComparer.Ordinal));
    }

    public static (StockReleased, IMartenOp, IMartenOp) Handle(
        ReleaseStock command, Reservation? reservation, IReadOnlyDictionary<string, StockItem> stock, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (reservation is null)
        {
            return (new StockReleased(command.OrderId, [], now),
                MartenOps.Insert(Reservation.ReleasedBeforeReserved(command.OrderId)), MartenOps.Nothing());
        }

        var wasHeld = reservation.Status == ReservationStatus.Held;
        var changed = reservation.Release(stock);
        return (new StockReleased(command.OrderId, wasHeld ? reservation.Lines : [], now),
            wasHeld ? MartenOps.Store(reservation) : MartenOps.Nothing(),
            changed.Count == 0 ? MartenOps.Nothing() : MartenOps.StoreMany(changed.ToArray()));
    }
}
