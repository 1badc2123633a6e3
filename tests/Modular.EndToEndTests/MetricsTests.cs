using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Modular.Host;
using Modular.Modules.Inventory.Contracts;
using Modular.Testing;
using Wolverine;

namespace Modular.EndToEndTests;

/// <summary>
/// A host on Kestrel that has seen an order of every ending (confirmed, rejected for stock, declined, cancelled, expired
/// after provider failures) and a dead letter: what an operator's Prometheus and Grafana read from it. See docs/adr/0025.
/// </summary>
public sealed class MetricsShop : IAsyncLifetime
{
    public ModularTestHost Host { get; private set; } = null!;

    public int OrdersPlaced { get; private set; }

    public async Task InitializeAsync()
    {
        Host = await ModularTestHost.StartOnKestrelAsync(await PostgresServer.CreateDatabaseAsync("e2e_metrics"), ModuleCatalog.All,
            new Dictionary<string, string?>
            {
                // An order whose provider is down expires within seconds rather than a minute; long enough for the others.
                ["Ordering:Deadlines:Payment"] = "00:00:05",
            });
        var shop = new ShopDriver(Host.Client);
        var sku = await shop.StockedProductAsync(10m, onHand: 10);
        var orders = new[]
        {
            await shop.PlaceOrderAsync("alice", [new(sku, 1)]),
            await shop.PlaceOrderAsync("alice", [new(sku, 100)]),
            await shop.PlaceOrderAsync("alice", [new(sku, 1)], "tok_decline"),
            await shop.PlaceOrderAsync("alice", [new(sku, 1)], "tok_down"),
        };
        var cancelled = await shop.PlaceOrderAsync("alice", [new(sku, 1)]);
        Assert.Equal(HttpStatusCode.Accepted, (await Host.Client.PostAsync($"/api/orders/{cancelled}/cancel", null)).StatusCode);
        foreach (var order in orders.Append(cancelled))
        {
            await Eventually.Get(() => shop.OrderAsync(order), o => o.GetProperty("status").GetString() is "Confirmed" or "Rejected" or "Cancelled" or "Expired",
                $"order {order} to end", TimeSpan.FromSeconds(60));
        }

        await Eventually.Get(() => shop.OrderAsync(cancelled), o => o.GetProperty("status").GetString() == "Cancelled", "the cancellation");
        OrdersPlaced = orders.Length + 1;

        // A reservation Inventory refuses to read: it goes to Inventory's dead letters.
        await Host.Host.MessageBus().PublishAsync(new ReserveStock(Guid.Empty, []));
    }

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    public async Task<IReadOnlyList<Sample>> ScrapeAsync()
    {
        using var scraper = Host.AnonymousClient();
        var response = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Sample.Parse(await response.Content.ReadAsStringAsync());
    }
}

[Collection(ExportedMetrics.Name)]
public sealed partial class MetricsTests(MetricsShop shop) : IClassFixture<MetricsShop>
{
    /// <summary>Every module metric of docs/adr/0025, with the module that must carry it.</summary>
    public static TheoryData<string, string> ModuleMetrics => new()
    {
        { "modular_orders_placed_total", "Ordering" },
        { "modular_orders_ended_total", "Ordering" },
        { "modular_order_duration_seconds_bucket", "Ordering" },
        { "modular_stock_reservations_rejected_total", "Inventory" },
        { "modular_payments_declined_total", "Payments" },
        { "modular_payment_provider_failures_total", "Payments" },
        { "modular_messages_handled_total", "Inventory" },
        { "modular_messages_handled_total", "Payments" },
        { "modular_messages_handled_total", "Ordering" },
        { "modular_messages_failed_total", "Payments" },
        { "modular_messages_dead_lettered_total", "Inventory" },
        { "modular_message_handling_duration_seconds_bucket", "Ordering" },
        { "modular_inbox_depth", "Payments" },
        { "modular_outbox_depth", "Payments" },
        { "modular_inbox_paused", "Payments" },
        { "modular_dead_letters", "Inventory" },
    };

    [Theory]
    [MemberData(nameof(ModuleMetrics))]
    public async Task After_orders_of_every_ending_metrics_serves_each_module_metric_with_its_module_label(string metric, string module)
    {
        var samples = await Eventually.Get(shop.ScrapeAsync, s => s.Any(x => x.Name == metric && x.Labels.GetValueOrDefault("module") == module),
            $"{metric} for {module} on /metrics");

        Assert.Contains(samples, s => s.Name == metric && s.Labels.GetValueOrDefault("module") == module);
    }

    [Fact]
    public async Task Every_order_ending_is_counted_by_outcome_and_messages_by_type()
    {
        var samples = await Eventually.Get(shop.ScrapeAsync,
            // Meters are per process: another test's host may have dead-lettered first, so wait for this fixture's own.
            s => s.Count(x => x.Name == "modular_orders_ended_total") >= 4
                && s.Any(x => x.Name == "modular_messages_dead_lettered_total" && x.Labels.GetValueOrDefault("module") == "Inventory"),
            "every ending and the dead letter on /metrics");

        foreach (var outcome in new[] { "confirmed", "rejected", "cancelled", "expired" })
        {
            Assert.Contains(samples, s => s.Name == "modular_orders_ended_total" && s.Labels["outcome"] == outcome && s.Value >= 1);
        }

        Assert.Contains(samples, s => s.Name == "modular_messages_handled_total" && s.Labels.GetValueOrDefault("message_type")?.EndsWith(nameof(ReserveStock), StringComparison.Ordinal) == true);
        Assert.Contains(samples, s => s.Name == "modular_messages_dead_lettered_total" && s.Labels["module"] == "Inventory" && s.Value >= 1);
    }

    [Theory]
    [InlineData("http_server_request_duration_seconds_bucket")]
    [InlineData("dotnet_gc_collections_total")]
    [InlineData("http_client_request_duration_seconds_bucket")]
    [InlineData("db_client_connections_usage")]
    [InlineData("db_client_commands_duration_seconds_bucket")]
    [InlineData("wolverine_execution_time_Milliseconds_bucket")]
    public async Task Metrics_serves_the_standard_HTTP_runtime_Npgsql_and_Wolverine_metrics(string metric)
    {
        var samples = await shop.ScrapeAsync();

        Assert.Contains(samples, s => s.Name == metric);
    }

    [Fact]
    public async Task The_Grafana_dashboard_queries_only_metrics_the_host_exports()
    {
        var exported = (await shop.ScrapeAsync()).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(ReleaseHost.RepositoryRoot(), "deploy/grafana/dashboards/modular.json")));

        var queried = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .SelectMany(t => MetricName().Matches(Grouping().Replace(t.GetProperty("expr").GetString()!, "")).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(queried);
        var missing = queried.Except(exported).ToList();
        Assert.True(missing.Count == 0, $"The dashboard queries metrics the host does not export: {string.Join(", ", missing)}");
    }

    [PrometheusFact]
    public async Task A_real_Prometheus_scraping_the_host_reads_back_the_orders_placed()
    {
        var folder = Directory.CreateTempSubdirectory("modular-prometheus-");
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "prometheus.yml"), $"""
            global: {"{"} scrape_interval: 1s {"}"}
            scrape_configs:
              - job_name: modular
                static_configs: [{"{"} targets: ["{shop.Host.Address!.Authority}"] {"}"}]
            """);
        var start = new ProcessStartInfo(PrometheusFactAttribute.Binary!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     $"--config.file={folder.FullName}/prometheus.yml", $"--storage.tsdb.path={folder.FullName}/data",
                     $"--web.listen-address=127.0.0.1:{port}",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var prometheus = Process.Start(start)!;
        _ = prometheus.StandardOutput.ReadToEndAsync();
        var log = prometheus.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var placed = await Eventually.Get(async () =>
                {
                    try
                    {
                        var answer = await client.GetFromJsonAsync<JsonElement>(
                            "/api/v1/query?query=" + Uri.EscapeDataString("sum(modular_orders_placed_total{module=\"Ordering\"})"));
                        var result = answer.GetProperty("data").GetProperty("result");
                        return result.GetArrayLength() == 0 ? 0 : double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    catch (HttpRequestException)
                    {
                        return 0;
                    }
                },
                value => value >= shop.OrdersPlaced, "Prometheus to have scraped the orders placed", TimeSpan.FromSeconds(30));

            Assert.True(placed >= shop.OrdersPlaced, $"Prometheus read {placed} orders placed; {shop.OrdersPlaced} were.");
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            _ = await log;
            folder.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A <c>by (…)</c> clause names labels, not metrics.</summary>
    [GeneratedRegex(@"\b(?:by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b(?:modular|http|dotnet|db|wolverine)_[a-z0-9_]+")]
    private static partial Regex MetricName();
}

/// <summary>
/// A test that runs Debian's <c>prometheus</c> binary (scripts/test.sh installs it); skipped, saying so, where it is not
/// installed and cannot be (no apt, not root).
/// </summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public static readonly string? Binary =
        new[] { Environment.GetEnvironmentVariable("MODULAR_TEST_PROMETHEUS"), "/usr/bin/prometheus", "/usr/local/bin/prometheus" }
            .FirstOrDefault(path => !string.IsNullOrEmpty(path) && File.Exists(path));

    public PrometheusFactAttribute()
    {
        if (Binary is null)
        {
            Skip = "No prometheus binary (/usr/bin/prometheus or MODULAR_TEST_PROMETHEUS): scripts/test.sh installs Debian's package where apt-get can.";
        }
    }
}
