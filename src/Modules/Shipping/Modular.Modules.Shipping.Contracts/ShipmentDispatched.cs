namespace Modular.Modules.Shipping.Contracts;

/// <summary>The order's parcel left the warehouse; the carrier knows it by <paramref name="TrackingReference"/>.</summary>
public sealed record ShipmentDispatched(Guid OrderId, string TrackingReference, DateTimeOffset DispatchedAt);
