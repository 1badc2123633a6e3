using JasperFx;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Modular.ArchitectureTests.Rules;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;
using Modular.Host;
using Modular.Testing;

namespace Modular.ArchitectureTests;

/// <summary>The data boundary as PostgreSQL sees it, after the real host composition has set up its resources.</summary>
public sealed class DataBoundaryTests
{
    [Fact]
    public async Task Setting_up_resources_puts_every_table_in_its_owning_modules_schema_or_the_envelope_schema()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("databoundary");
        await using var app = ModularTestHost.Build(connectionString, ModuleCatalog.All);
        var modules = ModuleCatalog.All.Select(m => TablesOf(m, app.Services)).ToList();
        // The data-driven expectations must find at least the one document every build has.
        Assert.Contains("mt_doc_product", modules.Single(m => m.Module == "Catalog").DocumentTables);

        // The same command an operator runs against the built host (Program.cs ends in RunJasperFxCommands).
        Assert.Equal(0, await app.RunJasperFxCommands(["resources", "setup"]));

        Violations.AssertNone(DataBoundary.Violations(await Sql.TablesAsync(connectionString), modules));
    }

    [Fact]
    public async Task Splitting_the_modules_over_two_processes_keeps_every_table_in_its_module_schema_or_a_platform_schema()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("databoundarysplit");
        string[][] shapes = [["Catalog", "Ordering"], ["Inventory", "Payments"]];
        var modules = new List<ModuleTables>();
        foreach (var shape in shapes)
        {
            var settings = shape.Select((name, i) => (Key: $"Modular:Modules:{i}", Value: (string?)name)).ToDictionary(p => p.Key, p => p.Value);
            await using var app = ModularTestHost.Build(connectionString, ModuleCatalog.All, settings);
            modules.AddRange(ModuleCatalog.All.Where(m => shape.Contains(m.Name)).Select(m => TablesOf(m, app.Services)));
            Assert.Equal(0, await app.RunJasperFxCommands(["resources", "setup"]));
        }

        var tables = await Sql.TablesAsync(connectionString);

        Violations.AssertNone(DataBoundary.Violations(tables, modules,
            ["wolverine_catalog_ordering", "wolverine_inventory_payments", MessagingDefaults.QueueSchema]));
        Assert.Contains((MessagingDefaults.QueueSchema, "wolverine_queue_inventory"), tables);
    }

    /// <summary>The tables of the documents the module itself declares; its store's Wolverine tables are Wolverine's.</summary>
    private static ModuleTables TablesOf(IModule module, IServiceProvider services)
    {
        var store = (IDocumentStore)services.GetRequiredService(StoreTypeOf(module));
        var documents = store.Options.AllKnownDocumentTypes()
            .Where(d => d.DocumentType.Assembly == module.Assembly)
            .Select(d => d.TableName.Name)
            .ToList();
        return new ModuleTables(module.Name, module.Schema, documents);
    }

    private static Type StoreTypeOf(IModule module)
    {
        for (var type = module.GetType(); type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Module<>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        throw new InvalidOperationException($"Module {module.Name} does not derive from Module<TStore>, so its store is unknown.");
    }
}
