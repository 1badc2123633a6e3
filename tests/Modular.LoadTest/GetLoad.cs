using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

/// <summary>
/// GET requests a second with a number of connections, each sending its next request when the last one is answered,
/// after a second of warm-up that is not counted: GET /api/catalog/products/{sku} on a host, and the same client against
/// the <see cref="CeilingServer"/>. Prints one summary line.
/// </summary>
internal static class GetLoad
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static async Task<int> ProductAsync(Uri baseUrl, string[] args)
    {
        using var http = Tokens.StaffClient(baseUrl);
        var sku = $"GET-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
        (await http.PostAsJsonAsync("/api/catalog/products", new { sku, name = $"Get {sku}", price = 1.25m, currency = "EUR" })).EnsureSuccessStatusCode();
        await MeasureAsync(http, $"/api/catalog/products/{sku}", "get_product", args);
        return 0;
    }

    public static async Task<int> CeilingAsync(string[] args)
    {
        using var server = await CeilingServer.StartAsync();
        using var http = Tokens.StaffClient(server.Url);
        await MeasureAsync(http, CeilingServer.Route, "ceiling", args);
        return 0;
    }

    private static async Task MeasureAsync(HttpClient http, string path, string label, string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        var end = WarmUp + TimeSpan.FromSeconds(seconds);
        var clock = Stopwatch.StartNew();
        var perConnection = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            var latencies = new List<double>();
            while (clock.Elapsed < end)
            {
                var sent = clock.Elapsed;
                using var response = await http.GetAsync(path);
                response.EnsureSuccessStatusCode();
                if (sent >= WarmUp)
                {
                    latencies.Add((clock.Elapsed - sent).TotalMilliseconds);
                }
            }

            return latencies;
        }));

        var all = perConnection.SelectMany(l => l).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {path} requests={all.Count} seconds={seconds} connections={connections} throughput={all.Count / (double)seconds:F0} req/s " +
            $"p50={Percentiles.Of(all, 50):F1} ms p99={Percentiles.Of(all, 99):F1} ms"));
    }
}
