namespace Modular.Modules.Shipping.Shipments;

public sealed record ShipmentView(
    Guid OrderId, string CustomerId, ShipmentStatus Status, string? TrackingReference, DateTimeOffset CreatedAt,
    DateTimeOffset? DispatchedAt, DateTimeOffset? DeliveredAt)
{
    public static string UrlFor(Guid orderId) => $"/api/v1/shipments/{orderId}";

    public static ShipmentView From(Shipment shipment) => new(
        shipment.OrderId, shipment.CustomerId, shipment.Status, shipment.TrackingReference, shipment.CreatedAt,
        shipment.DispatchedAt, shipment.DeliveredAt);
}
