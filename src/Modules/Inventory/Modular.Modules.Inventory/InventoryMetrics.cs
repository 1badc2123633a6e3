using Modular.BuildingBlocks.Telemetry;

namespace Modular.Modules.Inventory;

public static class InventoryMetrics
{
    private static readonly ModuleMeter Meter = new("Inventory");

    /// <summary>Counted when decided, before it commits: a reservation retried after a concurrent change is counted again.</summary>
    public static readonly ModuleCounter ReservationsRejected = Meter.Counter(
        "modular.stock.reservations.rejected", "{reservation}", "Reservations refused: not enough stock, an unknown SKU, or the order released first");
}
