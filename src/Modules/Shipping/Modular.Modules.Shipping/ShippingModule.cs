using System.Reflection;
using Marten;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Shipping.Contracts;
using Modular.Modules.Shipping.Shipments;

namespace Modular.Modules.Shipping;

/// <summary>A shipment for every confirmed order: dispatched by staff with the carrier's tracking reference, then delivered.</summary>
public sealed class ShippingModule : Module<IShippingStore>
{
    public override string Name => "Shipping";

    public override Assembly ContractsAssembly => typeof(ShipmentDispatched).Assembly;

    protected override void ConfigureStore(StoreOptions options) =>
        options.Schema.For<Shipment>().Identity(s => s.OrderId).UseOptimisticConcurrency(true);

    /// <summary>One order's shipment events reach Ordering in the order they happened.</summary>
    public override void GroupMessages(MessageGrouping grouping) => grouping.ByProperty(ContractsAssembly, nameof(ShipmentDispatched.OrderId));
}
