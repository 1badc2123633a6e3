using FluentValidation;
using Marten;
using Modular.BuildingBlocks.Validation;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Inventory.Stock;
using Wolverine;
using Wolverine.Marten;

namespace Modular.Modules.Inventory.Reservations;

/// <summary>What Inventory accepts as a reservation: an invalid one goes to the dead letters and changes no stock.</summary>
public sealed class ReserveStockValidator : AbstractValidator<ReserveStock>
{
    public const int MaxLines = 100;

    public const int MaxQuantity = 1_000_000;

    public ReserveStockValidator()
    {
        RuleFor(x => x.OrderId).NotEmpty();
        RuleFor(x => x.Lines).NotEmpty().Must(lines => lines.Count <= MaxLines).WithMessage($"A reservation has at most {MaxLines} lines.");
        RuleForEach(x => x.Lines).NotNull().ChildRules(line =>
        {
            line.RuleFor(l => l.Sku).MustBeCatalogSku();
            line.RuleFor(l => l.Quantity).InclusiveBetween(1, MaxQuantity);
        });
    }
}

/// <summary>
/// Reserves all lines of an order or none. A second delivery for the same order finds its reservation and changes
/// nothing; a reservation that arrives after the order's release is refused.
/// </summary>
public static class ReserveStockHandler
{
    public static async Task<(Reservation?, IReadOnlyDictionary<string, StockItem>)> LoadAsync(
        ReserveStock command, IDocumentSession session, CancellationToken cancellation)
    {
        var existing = await session.LoadAsync<Reservation>(command.OrderId, cancellation);
        var items = await session.LoadManyAsync<StockItem>(cancellation, command.Lines.Select(l => l.Sku).Distinct());
        return (existing, items.ToDictionary(i => i.Sku, StringComparer.Ordinal));
    }

    public static (OutgoingMessages, IMartenOp, IMartenOp) Handle(
        ReserveStock command, Reservation? existing, IReadOnlyDictionary<string, StockItem> stock, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (existing is not null)
        {
            var answer = existing.Status == ReservationStatus.Released
                ? new OutgoingMessages { ReleasedFirst(command, now) }
                : [];
            InventoryMetrics.ReservationsRejected.Add(answer.Count);
            return (answer, MartenOps.Nothing(), MartenOps.Nothing());
        }

        var (reservation, changed, reply) = Reservation.Reserve(command, stock, now);
        if (reply is StockReservationRejected)
        {
            InventoryMetrics.ReservationsRejected.Add();
        }

        return (new OutgoingMessages { reply }, MartenOps.Insert(reservation),
            changed.Count == 0 ? MartenOps.Nothing() : MartenOps.StoreMany(changed.ToArray()));
    }

    private static StockReservationRejected ReleasedFirst(ReserveStock command, DateTimeOffset now) =>
        new(command.OrderId,
            command.Lines.Select(l => new StockReservationRejected.Rejection(l.Sku, l.Quantity, 0, "order released before it was reserved")).ToList(),
            now);
}
