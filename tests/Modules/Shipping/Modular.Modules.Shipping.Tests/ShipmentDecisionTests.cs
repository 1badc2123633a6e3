using Modular.Modules.Shipping.Contracts;
using Modular.Modules.Shipping.Shipments;

namespace Modular.Modules.Shipping.Tests;

/// <summary>A shipment's decisions, without a database: Pending, then Dispatched, then Delivered; or Cancelled before dispatch.</summary>
public sealed class ShipmentDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static Shipment Pending() => Shipment.For(Guid.NewGuid(), "alice", Now.AddHours(-1));

    [Fact]
    public void A_pending_shipment_is_dispatched_once_and_a_second_dispatch_with_the_same_reference_changes_nothing()
    {
        var shipment = Pending();

        var dispatched = shipment.Dispatch("TRACK-1", Now);
        var again = shipment.Dispatch("TRACK-1", Now.AddMinutes(1));

        Assert.Equal(new ShipmentDispatched(shipment.OrderId, "TRACK-1", Now), dispatched);
        Assert.Null(again);
        Assert.Equal((ShipmentStatus.Dispatched, "TRACK-1", Now), (shipment.Status, shipment.TrackingReference, shipment.DispatchedAt));
    }

    [Fact]
    public void A_dispatched_shipment_refuses_another_tracking_reference_naming_the_first()
    {
        var shipment = Pending();
        shipment.Dispatch("TRACK-1", Now);

        var conflict = Assert.Throws<ShipmentConflictException>(() => shipment.Dispatch("TRACK-2", Now));

        Assert.Contains("TRACK-1", conflict.Message, StringComparison.Ordinal);
        Assert.Equal("TRACK-1", shipment.TrackingReference);
    }

    [Fact]
    public void Only_a_dispatched_shipment_is_delivered()
    {
        var shipment = Pending();

        Assert.NotNull(shipment.WhyNotDeliver());
        shipment.Dispatch("TRACK-1", Now);
        Assert.Equal(new ShipmentDelivered(shipment.OrderId, Now.AddDays(1)), shipment.Deliver(Now.AddDays(1)));
        Assert.Null(shipment.Deliver(Now.AddDays(2)));
        Assert.Equal(Now.AddDays(1), shipment.DeliveredAt);
    }

    [Fact]
    public void A_cancelled_order_cancels_a_pending_shipment_but_not_one_on_its_way()
    {
        var pending = Pending();
        var onItsWay = Pending();
        onItsWay.Dispatch("TRACK-9", Now);

        Assert.True(pending.Cancel());
        Assert.False(onItsWay.Cancel());
        Assert.Equal(ShipmentStatus.Cancelled, pending.Status);
        Assert.Equal(ShipmentStatus.Dispatched, onItsWay.Status);
        Assert.Contains("Cancelled", pending.WhyNotDispatch("TRACK-1"), StringComparison.Ordinal);
    }
}
