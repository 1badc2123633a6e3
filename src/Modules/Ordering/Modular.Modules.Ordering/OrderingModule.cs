using System.Reflection;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Ordering.Fulfilment;
using Modular.Modules.Ordering.Orders;
using Modular.Modules.Ordering.Pricing;
using Modular.Modules.Payments.Contracts;

namespace Modular.Modules.Ordering;

/// <summary>Orders, event-sourced, and the process that takes each one to Confirmed, Rejected, Cancelled or Expired.</summary>
public sealed class OrderingModule : Module<IOrderingStore>
{
    public override string Name => "Ordering";

    public override Assembly ContractsAssembly => typeof(OrderConfirmed).Assembly;

    protected override void ConfigureServices(IServiceCollection services, ModuleSettings settings)
    {
        services.AddSingleton(settings.Configuration.GetSection(OrderDeadlineOptions.SectionName).Get<OrderDeadlineOptions>() ?? new OrderDeadlineOptions());
        // Payments' key pair, of which Ordering needs only the public half.
        var keyFiles = settings.Configuration.GetSection(AuthorizePayment.SealingKeySection).Get<SealingKeyFiles>() ?? new SealingKeyFiles();
        services.AddSingleton(sp => new PaymentTokenSealer(
            keyFiles.PublicKey(sp.GetRequiredService<IHostEnvironment>(), AuthorizePayment.SealingKeySection, AuthorizePayment.DevelopmentKeyFile)));
        services.BuildOnStart<PaymentTokenSealer>();
    }

    protected override void ConfigureStore(StoreOptions options)
    {
        // The stream is the order's timeline; the snapshot, updated in the same transaction, serves queries and
        // gives each handler the state it decides on.
        options.Projections.Snapshot<Order>(SnapshotLifecycle.Inline);
        // Each event records on whose behalf it happened: the subject Wolverine relays from the request that caused it.
        options.Events.MetadataConfig.UserNameEnabled = true;
        // And the correlation id Wolverine relays with every message: the trace id of the request that placed the order.
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Schema.For<Order>().Index(o => o.CustomerId).Index(o => o.PlacedAt);
        options.Schema.For<CatalogPrice>().Identity(p => p.Sku).UseOptimisticConcurrency(true);
        options.Schema.For<OrderRequest>().Identity(r => r.IdempotencyKey);
    }

    /// <summary>One order's messages, including its own deadlines, are handled one after another.</summary>
    public override void GroupMessages(MessageGrouping grouping) => grouping
        .ByProperty(ContractsAssembly, nameof(OrderConfirmed.OrderId))
        .ByProperty(Assembly, nameof(OrderConfirmed.OrderId));
}
