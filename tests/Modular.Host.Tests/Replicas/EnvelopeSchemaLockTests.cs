using System.Net;
using Modular.Testing;

namespace Modular.Host.Tests.Replicas;

/// <summary>
/// A Solo process is its envelope schema's only one; Balanced replicas share theirs. Wolverine's Solo start-up takes over
/// every message in the schema, so a second process there would have its messages handled twice. See docs/adr/0026.
/// </summary>
public sealed class EnvelopeSchemaLockTests
{
    [Fact]
    public async Task A_second_Solo_process_on_the_envelope_schema_refuses_to_start_naming_the_first_and_starts_once_it_is_gone()
    {
        var database = await PostgresServer.CreateDatabaseAsync("schema_lock_solo");
        var first = await ModularTestHost.StartAsync(database, ModuleCatalog.All);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ModularTestHost.StartAsync(database, ModuleCatalog.All));

        Assert.Contains("Another live process uses the envelope schema 'wolverine'", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"modular wolverine Solo {Environment.MachineName}:{Environment.ProcessId}, ExclusiveLock", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Modular:Durability=Balanced", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetAsync("/api/catalog/products?page=1")).StatusCode);

        await first.DisposeAsync();
        await using var second = await ModularTestHost.StartAsync(database, ModuleCatalog.All);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/api/catalog/products?page=1")).StatusCode);
    }

    [Fact]
    public async Task Balanced_replicas_share_the_envelope_schema_and_a_Solo_process_is_refused_beside_them()
    {
        var database = await PostgresServer.CreateDatabaseAsync("schema_lock_balanced");
        var balanced = new Dictionary<string, string?> { ["Modular:Durability"] = "Balanced" };

        await using var one = await ModularTestHost.StartAsync(database, ModuleCatalog.All, balanced);
        await using var two = await ModularTestHost.StartAsync(database, ModuleCatalog.All, balanced);
        var solo = await Assert.ThrowsAsync<InvalidOperationException>(() => ModularTestHost.StartAsync(database, ModuleCatalog.All));

        Assert.Equal(HttpStatusCode.OK, (await one.Client.GetAsync("/api/catalog/products?page=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await two.Client.GetAsync("/api/catalog/products?page=1")).StatusCode);
        Assert.Contains("Another live process uses the envelope schema 'wolverine'", solo.Message, StringComparison.Ordinal);
        Assert.Contains("Balanced", solo.Message, StringComparison.Ordinal);
    }
}
