using System.Text.RegularExpressions;
using Modular.Host;
using Modular.Modules.Inventory.Contracts;
using Modular.Testing;
using Wolverine;

namespace Modular.Host.Tests.Telemetry;

/// <summary>
/// Several hosts share a process (every test run, and a module host beside its gateway in the reshaping tests): one of
/// them stopping must not silence another's module metrics. OpenTelemetry ends the metric stream of every meter of a
/// name when any one of them is disposed (open-telemetry/opentelemetry-dotnet#6412), so a meter per host went quiet in
/// every other host when the first was disposed. See docs/adr/0025.
/// </summary>
[Collection(ExportedMetrics.Name)]
public sealed partial class MetricsAcrossHostsTests
{
    [Fact]
    public async Task A_host_keeps_serving_its_messaging_metrics_after_another_host_in_the_process_stops()
    {
        await using var survivor = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("metrics_survivor"), ModuleCatalog.All);
        var other = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("metrics_other"), ModuleCatalog.All);
        await other.DisposeAsync();

        // A reservation Inventory refuses to read goes to its dead letters: a counter and a gauge of the survivor.
        await survivor.Host.MessageBus().PublishAsync(new ReserveStock(Guid.Empty, []));

        var metrics = await Eventually.Get(() => survivor.AnonymousClient().GetStringAsync("/metrics"),
            text => Series("modular_messages_dead_lettered_total").IsMatch(text) && Series("modular_dead_letters").IsMatch(text),
            "the survivor's Inventory dead letter on /metrics", TimeSpan.FromSeconds(20));

        Assert.Matches(Series("modular_inbox_depth", "[0-9]"), metrics);
    }

    /// <summary>A series of <paramref name="metric"/> for Inventory whose value starts with <paramref name="value"/> (by default, not zero).</summary>
    private static Regex Series(string metric, string value = "[1-9]") => new($@"(?m)^{metric}\{{[^}}]*module=""Inventory""[^}}]*\}} {value}");
}
