namespace Modular.Modules.Shipping.Contracts;

/// <summary>The carrier delivered the order's parcel.</summary>
public sealed record ShipmentDelivered(Guid OrderId, DateTimeOffset DeliveredAt);
