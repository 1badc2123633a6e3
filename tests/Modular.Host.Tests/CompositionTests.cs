using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Catalog;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Inventory.Contracts;
using Modular.Testing;
using Wolverine.Runtime;

namespace Modular.Host.Tests;

/// <summary>How a host is composed from the module catalog and configuration, and how it refuses a bad composition.</summary>
public sealed class CompositionTests
{
    private static readonly IReadOnlyList<IModule> CatalogWithProbe = [new CatalogModule(), new ProbeModule()];

    [Fact]
    public async Task Start_up_fails_naming_the_message_when_its_handling_module_is_neither_hosted_nor_routed()
    {
        var database = await PostgresServer.CreateDatabaseAsync("noroute");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ModularTestHost.StartAsync(database, CatalogWithProbe, new Dictionary<string, string?>
            {
                ["Modular:Modules:0"] = "Catalog", ["Modular:Transport"] = "None",
            }));

        Assert.Contains("Modular.Modules.Catalog.Contracts.ProductAdded (owned by Catalog, sent by Catalog) is handled by Probe, which this process does not host", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_fails_naming_a_handler_that_Wolverine_found_but_the_catalog_routing_cannot_see()
    {
        var database = await PostgresServer.CreateDatabaseAsync("hiddenhandler");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ModularTestHost.StartAsync(database, [new WhistlingModule()]));

        Assert.Contains($"{typeof(WhistleResponder).FullName} handles {typeof(Whistle).FullName} in module Whistling", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_fails_when_a_hosted_module_sends_a_command_to_a_module_that_is_neither_hosted_nor_routed()
    {
        var database = await PostgresServer.CreateDatabaseAsync("nocommandroute");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ModularTestHost.StartAsync(database, ModuleCatalog.All, new Dictionary<string, string?>
            {
                ["Modular:Modules:0"] = "Catalog", ["Modular:Modules:1"] = "Ordering", ["Modular:Modules:2"] = "Payments",
                ["Modular:Transport"] = "None",
            }));

        Assert.Contains("Modular.Modules.Inventory.Contracts.ReserveStock (owned by Inventory, sent by Ordering) is handled by Inventory, " +
                        "which this process does not host", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PostgreSQL", "postgresql://inventory/")]
    [InlineData("RabbitMQ", "rabbitmq://queue/inventory")]
    public async Task A_message_for_a_module_hosted_elsewhere_is_routed_to_its_queue_on_the_transport(string transport, string queue)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Modular:Modules:0"] = "Catalog", ["Modular:Modules:1"] = "Ordering", ["Modular:Transport"] = transport,
        };
        if (transport == "RabbitMQ")
        {
            settings["ConnectionStrings:RabbitMq"] = await RabbitMqServer.UriAsync();
        }

        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("routes"), ModuleCatalog.All, settings);

        var runtime = host.Services.GetRequiredService<IWolverineRuntime>();
        var reserve = runtime.RoutingFor(typeof(ReserveStock)).Routes.Select(r => r.Describe().Endpoint.ToString()).ToList();
        var added = runtime.RoutingFor(typeof(ProductAdded)).Routes.Select(r => r.Describe().Endpoint.ToString()).Order().ToList();
        Assert.Equal([queue], reserve);
        Assert.Equal(["local://ordering/", queue], added);
    }

    [Fact]
    public async Task A_process_hosting_some_modules_keeps_its_envelopes_in_a_schema_of_its_own()
    {
        var database = await PostgresServer.CreateDatabaseAsync("ownschema");

        await using var host = await ModularTestHost.StartAsync(database, ModuleCatalog.All, new Dictionary<string, string?>
        {
            ["Modular:Modules:0"] = "Inventory", ["Modular:Modules:1"] = "Payments",
        });

        Assert.Equal(1, await Sql.CountAsync(database,
            "select count(*) from information_schema.tables where table_schema = 'wolverine_inventory_payments' and table_name = 'wolverine_incoming_envelopes'"));
        Assert.Equal(0, await Sql.CountAsync(database, "select count(*) from information_schema.schemata where schema_name = 'wolverine'"));
    }

    [Fact]
    public async Task A_host_can_be_told_to_host_only_some_modules()
    {
        var database = await PostgresServer.CreateDatabaseAsync("subset");

        await using var host = await ModularTestHost.StartAsync(database, CatalogWithProbe,
            new Dictionary<string, string?> { ["Modular:Modules:0"] = "catalog", ["Modular:Modules:1"] = "PROBE" });

        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Client.GetAsync("/api/catalog/products")).StatusCode);
    }

    [Fact]
    public async Task Start_up_fails_when_configuration_names_an_unknown_module()
    {
        var database = await PostgresServer.CreateDatabaseAsync("unknown");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ModularTestHost.StartAsync(database, CatalogWithProbe, new Dictionary<string, string?> { ["Modular:Modules:0"] = "Warehouse" }));

        Assert.Contains("names unknown modules: Warehouse", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Known modules: Catalog, Probe", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_fails_when_the_inbox_stale_time_is_shorter_than_three_seconds()
    {
        var database = await PostgresServer.CreateDatabaseAsync("stale");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ModularTestHost.StartAsync(database, CatalogWithProbe, new Dictionary<string, string?> { ["Modular:InboxStaleTime"] = "00:00:01" }));

        Assert.Contains("'Modular:InboxStaleTime' is 00:00:01; it must be at least 00:00:03", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_up_fails_saying_how_to_configure_PostgreSQL_when_no_connection_string_is_set()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => ModularTestHost.Build("", CatalogWithProbe));

        Assert.Contains("ConnectionStrings__Modular", failure.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/run.sh", failure.Message, StringComparison.Ordinal);
    }
}
