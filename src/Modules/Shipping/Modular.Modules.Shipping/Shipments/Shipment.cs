using System.Text.Json.Serialization;
using Modular.Modules.Shipping.Contracts;

namespace Modular.Modules.Shipping.Shipments;

public enum ShipmentStatus
{
    /// <summary>The order is confirmed; waiting for staff to dispatch it.</summary>
    Pending,

    Dispatched,

    Delivered,

    /// <summary>The order was cancelled before it was dispatched: nothing will be sent.</summary>
    Cancelled,
}

/// <summary>
/// The shipment of one confirmed order; there is at most one per order. Each decision returns the event to publish, or
/// null when it changes nothing (the same request again); a request the state does not allow throws
/// <see cref="ShipmentConflictException"/>, which the endpoints have already ruled out with a 409.
/// </summary>
public sealed class Shipment
{
    [JsonConstructor]
    private Shipment(Guid orderId, string customerId, ShipmentStatus status, DateTimeOffset createdAt)
    {
        OrderId = orderId;
        CustomerId = customerId;
        Status = status;
        CreatedAt = createdAt;
    }

    public Guid OrderId { get; }

    public string CustomerId { get; }

    [JsonInclude]
    public ShipmentStatus Status { get; private set; }

    [JsonInclude]
    public string? TrackingReference { get; private set; }

    public DateTimeOffset CreatedAt { get; }

    [JsonInclude]
    public DateTimeOffset? DispatchedAt { get; private set; }

    [JsonInclude]
    public DateTimeOffset? DeliveredAt { get; private set; }

    public static Shipment For(Guid orderId, string customerId, DateTimeOffset confirmedAt) =>
        new(orderId, customerId, ShipmentStatus.Pending, confirmedAt);

    /// <summary>Why <see cref="Dispatch"/> would refuse <paramref name="trackingReference"/>; null when it would not.</summary>
    public string? WhyNotDispatch(string trackingReference) => Status switch
    {
        ShipmentStatus.Pending => null,
        ShipmentStatus.Dispatched when TrackingReference == trackingReference => null,
        ShipmentStatus.Dispatched => $"The shipment of order {OrderId} was dispatched already, with tracking reference {TrackingReference}.",
        _ => $"The shipment of order {OrderId} is {Status}: only a Pending shipment can be dispatched.",
    };

    public ShipmentDispatched? Dispatch(string trackingReference, DateTimeOffset now)
    {
        if (WhyNotDispatch(trackingReference) is { } refusal)
        {
            throw new ShipmentConflictException(refusal);
        }

        if (Status == ShipmentStatus.Dispatched)
        {
            return null;
        }

        (Status, TrackingReference, DispatchedAt) = (ShipmentStatus.Dispatched, trackingReference, now);
        return new ShipmentDispatched(OrderId, trackingReference, now);
    }

    /// <summary>Why <see cref="Deliver"/> would refuse; null when it would not.</summary>
    public string? WhyNotDeliver() => Status is ShipmentStatus.Dispatched or ShipmentStatus.Delivered
        ? null
        : $"The shipment of order {OrderId} is {Status}: only a Dispatched shipment can be delivered.";

    public ShipmentDelivered? Deliver(DateTimeOffset now)
    {
        if (WhyNotDeliver() is { } refusal)
        {
            throw new ShipmentConflictException(refusal);
        }

        if (Status == ShipmentStatus.Delivered)
        {
            return null;
        }

        (Status, DeliveredAt) = (ShipmentStatus.Delivered, now);
        return new ShipmentDelivered(OrderId, now);
    }

    /// <summary>The order was cancelled: a shipment not yet dispatched never will be. One on its way cannot be called back.</summary>
    public bool Cancel()
    {
        if (Status != ShipmentStatus.Pending)
        {
            return false;
        }

        Status = ShipmentStatus.Cancelled;
        return true;
    }
}

public sealed class ShipmentConflictException(string message) : InvalidOperationException(message);
