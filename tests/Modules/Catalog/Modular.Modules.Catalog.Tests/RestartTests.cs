using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Catalog.Contracts;
using Modular.Testing;

namespace Modular.Modules.Catalog.Tests;

/// <summary>
/// The pitfall behind the shared envelope schema (docs/adr/0003): with per-store envelope tables, a message
/// handled by another module stayed "Incoming" and was handled again after every restart.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restarting_the_host_handles_no_message_twice()
    {
        var database = await PostgresServer.CreateDatabaseAsync("restart");
        await using (var first = await CatalogHost.StartHostAsync(database))
        {
            Assert.Equal(HttpStatusCode.Created, (await first.Client.PostAsync("/api/catalog/products", Json("BEFORE-RESTART"))).StatusCode);
            await Eventually.Get(() => Task.FromResult(Recorded(first).Count), n => n == 1, "the subscriber to handle ProductAdded");
        }

        Assert.Equal(0, await Sql.CountAsync(database,
            "select count(*) from information_schema.tables where table_name = 'wolverine_incoming_envelopes' and table_schema <> 'wolverine'"));
        Assert.Equal(0, await Sql.CountAsync(database,
            "select count(*) from wolverine.wolverine_incoming_envelopes where status = 'Incoming'"));

        await using var second = await CatalogHost.StartHostAsync(database);
        Assert.Equal(HttpStatusCode.Created, (await second.Client.PostAsync("/api/catalog/products", Json("AFTER-RESTART"))).StatusCode);
        await Eventually.Get(() => Task.FromResult(Recorded(second).Count), n => n >= 1, "the subscriber to handle the new ProductAdded");

        // Solo durability recovers a dead process's incoming messages within seconds of start-up: give it time to.
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Equal(["AFTER-RESTART"], Recorded(second).Select(e => e.Sku));
    }

    private static IReadOnlyList<ProductAdded> Recorded(ModularTestHost host) =>
        host.Services.GetRequiredService<RecordedEvents>().Of<ProductAdded>();

    private static StringContent Json(string sku) => new(
        $$"""{"sku":"{{sku}}","name":"Lamp","description":"","price":20,"currency":"EUR"}""",
        System.Text.Encoding.UTF8, "application/json");
}
