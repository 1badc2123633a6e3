using System.Text.Json.Serialization;
using Modular.Modules.Inventory.Contracts;
using Modular.Modules.Inventory.Stock;

namespace Modular.Modules.Inventory.Reservations;

public enum ReservationStatus
{
    /// <summary>The order holds its lines.</summary>
    Held,

    /// <summary>Nothing was reserved: a line could not be.</summary>
    Rejected,

    /// <summary>What the order held is available again, or the release came first and nothing will be held.</summary>
    Released,
}

/// <summary>
/// What one order holds. It exists from the first reservation or release for the order, so that a second delivery,
/// or a release that overtakes its reservation, is answered from it instead of changing stock again.
/// </summary>
public sealed class Reservation
{
    [JsonConstructor]
    private Reservation(Guid orderId, IReadOnlyList<ReserveStock.Line> lines, ReservationStatus status)
    {
        OrderId = orderId;
        Lines = lines;
        Status = status;
    }

    public Guid OrderId { get; }

    /// <summary>The lines held (or that were held, once released); empty when nothing ever was.</summary>
    public IReadOnlyList<ReserveStock.Line> Lines { get; }

    [JsonInclude]
    public ReservationStatus Status { get; private set; }

    /// <summary>
    /// Reserves every line or none. Lines are summed per SKU first, so an order naming a SKU twice cannot hold more
    /// than is available. Returns the reservation to store, the items it changed, and the answer to publish.
    /// </summary>
    public static (Reservation Reservation, IReadOnlyList<StockItem> Changed, object Answer) Reserve(
        ReserveStock command, IReadOnlyDictionary<string, StockItem> stock, DateTimeOffset now)
    {
        var wanted = command.Lines
            .GroupBy(l => l.Sku, StringComparer.Ordinal)
            .Select(g => new ReserveStock.Line(g.Key, g.Sum(l => l.Quantity)))
            .ToList();

        var rejections = wanted
            .Select(line => stock.GetValueOrDefault(line.Sku) is { } item
                ? item.CannotReserve(line.Quantity) is { } reason
                    ? new StockReservationRejected.Rejection(line.Sku, line.Quantity, Math.Max(item.Available, 0), reason)
                    : null
                : new StockReservationRejected.Rejection(line.Sku, line.Quantity, 0, "unknown SKU"))
            .OfType<StockReservationRejected.Rejection>()
            .ToList();

        if (rejections.Count > 0)
        {
            return (new Reservation(command.OrderId, [], ReservationStatus.Rejected), [],
                new StockReservationRejected(command.OrderId, rejections, now));
        }

        var changed = wanted.Select(line =>
        {
            var item = stock[line.Sku];
            item.Reserve(line.Quantity);
            return item;
        }).ToList();
        return (new Reservation(command.OrderId, wanted, ReservationStatus.Held), changed,
            new StockReserved(command.OrderId, wanted, now));
    }

    /// <summary>A reservation for an order that was released before it was reserved: it will never hold anything.</summary>
    public static Reservation ReleasedBeforeReserved(Guid orderId) => new(orderId, [], ReservationStatus.Released);

    /// <summary>Gives back what is held. Returns the items it changed; none when nothing is held.</summary>
    public IReadOnlyList<StockItem> Release(IReadOnlyDictionary<string, StockItem> stock)
    {
        if (Status != ReservationStatus.Held)
        {
            Status = ReservationStatus.Released;
            return [];
        }

        Status = ReservationStatus.Released;
        return Lines.Select(line =>
        {
            var item = stock[line.Sku];
            item.Release(line.Quantity);
            return item;
        }).ToList();
    }
}
