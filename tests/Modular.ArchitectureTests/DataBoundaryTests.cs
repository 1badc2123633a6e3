using JasperFx;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Modular.ArchitectureTests.Rules;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Persistence;
using Modular.Host;
using Modular.Testing;
using Npgsql;

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
        string[][] shapes = [["Catalog", "Ordering", "Shipping"], ["Inventory", "Payments"]];
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
            ["wolverine_catalog_ordering_shipping", "wolverine_inventory_payments", MessagingDefaults.QueueSchema]));
        Assert.Contains((MessagingDefaults.QueueSchema, "wolverine_queue_inventory"), tables);
    }

    [Fact]
    public async Task A_database_per_service_keeps_each_processs_modules_and_envelope_tables_in_its_own_database_and_nothing_in_the_other()
    {
        var shared = await PostgresServer.CreateDatabaseAsync("databoundary_shared");
        var own = await PostgresServer.CreateDatabaseAsync("databoundary_own");
        var rabbitMq = await RabbitMqServer.UriAsync();
        (string[] Modules, string Database)[] shapes = [(["Catalog", "Ordering", "Shipping"], shared), (["Inventory", "Payments"], own)];
        var modules = new Dictionary<string, List<ModuleTables>> { [shared] = [], [own] = [] };
        foreach (var (shape, database) in shapes)
        {
            var settings = shape.Select((name, i) => (Key: $"Modular:Modules:{i}", Value: (string?)name))
                .Concat(database == own ? shape.Select(name => (Key: $"ConnectionStrings:{name}", Value: (string?)own)) : [])
                .Append((Key: "Modular:Transport", Value: "RabbitMQ"))
                .Append((Key: "ConnectionStrings:RabbitMq", Value: rabbitMq))
                .ToDictionary(p => p.Key, p => p.Value);
            // ConnectionStrings:Modular names the shared database for both: the extracted process's modules take theirs elsewhere.
            await using var app = ModularTestHost.Build(shared, ModuleCatalog.All, settings);
            modules[database].AddRange(ModuleCatalog.All.Where(m => shape.Contains(m.Name)).Select(m => TablesOf(m, app.Services)));
            Assert.Equal(0, await app.RunJasperFxCommands(["resources", "setup"]));
        }

        // Each database holds its own modules' schemas and its process's envelope tables, and nothing of the other's.
        Violations.AssertNone(DataBoundary.Violations(await Sql.TablesAsync(shared), modules[shared], ["wolverine_catalog_ordering_shipping"]));
        Violations.AssertNone(DataBoundary.Violations(await Sql.TablesAsync(own), modules[own], ["wolverine_inventory_payments"]));
        Assert.Contains(("inventory", "mt_doc_stockitem"), await Sql.TablesAsync(own));
    }

    [Fact]
    public async Task A_modules_database_role_reads_and_writes_its_own_tables_and_no_other_modules()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("databoundaryroles");
        var passwords = RolePasswords();
        var modules = new List<ModuleTables>();
        // Twice, as an operator runs it at every deployment: the second run finds the roles and grants again.
        for (var run = 0; run < 2; run++)
        {
            await using var setup = ModularTestHost.Build(connectionString, ModuleCatalog.All, passwords, login: DatabaseLogin.Owner);
            modules = ModuleCatalog.All.Select(m => TablesOf(m, setup.Services)).ToList();
            Assert.Equal(0, await setup.RunJasperFxCommands(["resources", "setup"]));
        }

        foreach (var module in modules)
        {
            var role = RoleConnection(connectionString, module.Module, passwords);
            foreach (var other in modules)
            {
                var table = $"{other.Schema}.{other.DocumentTables.First()}";
                var read = await Sql.ErrorOfAsync(role, $"SELECT count(*) FROM {table}");
                // Inserting no row still needs the INSERT right: PostgreSQL checks it before it reads a row.
                var write = await Sql.ErrorOfAsync(role, $"INSERT INTO {table} SELECT * FROM {table} LIMIT 0");
                if (other == module)
                {
                    Assert.True(read is null && write is null, $"{module.Module}'s role on its own {table}: {read} {write}");
                }
                else
                {
                    Assert.True(read?.StartsWith(PermissionDenied, StringComparison.Ordinal) == true, $"{module.Module}'s role read {table}: {read}");
                    Assert.True(write?.StartsWith(PermissionDenied, StringComparison.Ordinal) == true, $"{module.Module}'s role wrote {table}: {write}");
                }
            }

            Assert.StartsWith(PermissionDenied, await Sql.ErrorOfAsync(role, $"CREATE TABLE {module.Schema}.not_marten (id int)"), StringComparison.Ordinal);
            Assert.Null(await Sql.ErrorOfAsync(role, $"SELECT count(*) FROM {MessagingDefaults.EnvelopeSchema}.wolverine_outgoing_envelopes"));
        }

        var messaging = RoleConnection(connectionString, DatabaseOptions.MessagingRole, passwords);
        Assert.Null(await Sql.ErrorOfAsync(messaging, $"SELECT count(*) FROM {MessagingDefaults.EnvelopeSchema}.wolverine_incoming_envelopes"));
        foreach (var module in modules)
        {
            var read = await Sql.ErrorOfAsync(messaging, $"SELECT count(*) FROM {module.Schema}.{module.DocumentTables.First()}");
            Assert.True(read?.StartsWith(PermissionDenied, StringComparison.Ordinal) == true, $"The messaging role read {module.Schema}: {read}");
        }
    }

    private const string PermissionDenied = "42501";

    /// <summary>A password for each module's role and for messaging, as an operator configures them.</summary>
    private static Dictionary<string, string?> RolePasswords() =>
        ModuleCatalog.All.Select(m => m.Name).Append(DatabaseOptions.MessagingRole)
            .ToDictionary(name => $"{DatabaseOptions.SectionName}:Passwords:{name}", _ => (string?)Guid.NewGuid().ToString("N"));

    /// <summary>The roles are named after the database (the default prefix) and the module: t_databoundaryroles_…_ordering.</summary>
    private static string RoleConnection(string connectionString, string key, Dictionary<string, string?> passwords)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Username = $"{builder.Database}_{key.ToLowerInvariant()}";
        builder.Password = passwords[$"{DatabaseOptions.SectionName}:Passwords:{key}"];
        builder.Pooling = false;
        return builder.ConnectionString;
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
