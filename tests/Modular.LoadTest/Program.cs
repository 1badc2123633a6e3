using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text.Json;
using Modular.BuildingBlocks.Security;

// Usage: Modular.LoadTest <base-url> [orders=500] [concurrency=16] [products=10] [warmup=0]
//        Modular.LoadTest otlp-sink <port>      (a stand-in collector for scripts/bench-telemetry.sh)
// Tokens are minted with the host's local signing key: Modular__Authentication__SigningKeyPath (default .local/signing-key.pem).
if (args is ["otlp-sink", var sinkPort])
{
    return await OtlpSink.RunAsync(int.Parse(sinkPort, CultureInfo.InvariantCulture));
}

var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:5080";
var orders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
var productCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
var warmup = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;

var signing = new AuthenticationSettings();
var signingKey = LocalSigningKey.LoadOrCreate(Environment.GetEnvironmentVariable("Modular__Authentication__SigningKeyPath") ?? signing.SigningKeyPath);
using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
http.DefaultRequestHeaders.Authorization = Bearer("load-staff", Roles.Staff);
var run = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
var customer = $"load-{run}";
var warmCustomer = $"warm-{run}";
var customers = new Dictionary<string, AuthenticationHeaderValue>
{
    [customer] = Bearer(customer, Roles.Customer),
    [warmCustomer] = Bearer(warmCustomer, Roles.Customer),
};

// Products with enough stock for every order, known to Inventory and to Ordering's price list before the clock starts.
var skus = Enumerable.Range(1, productCount).Select(i => $"LOAD-{run}-{i}").ToList();
foreach (var sku in skus)
{
    (await http.PostAsJsonAsync("/api/catalog/products", new { sku, name = $"Load {sku}", price = 1.25m, currency = "EUR" })).EnsureSuccessStatusCode();
    await Until(async () => (await ReceiveAsync(sku, orders + warmup + 10)).StatusCode == HttpStatusCode.OK);
    await Until(async () => (await PlaceAsync(sku, warmCustomer)).StatusCode == HttpStatusCode.Accepted);
}

if (warmup > 0)
{
    Console.WriteLine($"Warming up with {warmup} orders...");
    await PlaceAllAsync(warmup, warmCustomer, new Dictionary<Guid, DateTimeOffset>());
    await Until(async () => await FinalAsync(warmCustomer) >= warmup + productCount, TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(100));
}

Console.WriteLine($"Placing {orders} orders against {baseUrl} with {concurrency} concurrent clients over {productCount} products...");
var placedAt = new Dictionary<Guid, DateTimeOffset>();
var clock = Stopwatch.StartNew();
var start = DateTimeOffset.UtcNow;
await PlaceAllAsync(orders, customer, placedAt);
var placedIn = clock.Elapsed;

await Until(async () => await FinalAsync(customer) >= orders, TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(100));
var confirmed = await CountAsync(customer, "Confirmed");

// Latency from the client's POST to the Confirmed event the server recorded (same machine, same clock).
var latencies = new List<double>();
var lastConfirmed = start;
foreach (var (id, sent) in placedAt)
{
    var order = await http.GetFromJsonAsync<JsonElement>($"/api/orders/{id}");
    var confirmedEvent = order.GetProperty("timeline").EnumerateArray().FirstOrDefault(e => e.GetProperty("event").GetString() == "Confirmed");
    if (confirmedEvent.ValueKind == JsonValueKind.Object)
    {
        var at = confirmedEvent.GetProperty("at").GetDateTimeOffset();
        latencies.Add((at - sent).TotalMilliseconds);
        lastConfirmed = at > lastConfirmed ? at : lastConfirmed;
    }
}

latencies.Sort();
var seconds = (lastConfirmed - start).TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"orders={orders} confirmed={confirmed} placed_in={placedIn.TotalSeconds:F1}s all_confirmed_in={seconds:F1}s " +
    $"throughput={confirmed / seconds:F0} orders/s to Confirmed; POST->Confirmed p50={Percentile(50):F0} ms p95={Percentile(95):F0} ms " +
    $"p99={Percentile(99):F0} ms max={latencies.LastOrDefault():F0} ms"));
return confirmed == orders ? 0 : 1;

Task<HttpResponseMessage> ReceiveAsync(string sku, int quantity)
{
    var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inventory/stock/{sku}/receipts") { Content = JsonContent.Create(new { quantity }) };
    request.Headers.Add("Idempotency-Key", $"load-receipt-{sku}");
    return http.SendAsync(request);
}

Task<HttpResponseMessage> PlaceAsync(string sku, string customerId)
{
    var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
    {
        Content = JsonContent.Create(new { lines = new[] { new { sku, quantity = 1 } }, paymentToken = "tok_visa" }),
    };
    request.Headers.Authorization = customers[customerId];
    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
    return http.SendAsync(request);
}

async Task PlaceAllAsync(int count, string customerId, Dictionary<Guid, DateTimeOffset> placed)
{
    using var gate = new SemaphoreSlim(concurrency);
    await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            var sent = DateTimeOffset.UtcNow;
            var response = await PlaceAsync(skus[i % skus.Count], customerId);
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
            lock (placed)
            {
                placed[id] = sent;
            }
        }
        finally
        {
            gate.Release();
        }
    }));
}

async Task<long> FinalAsync(string customerId) =>
    await CountAsync(customerId, "Confirmed") + await CountAsync(customerId, "Rejected") + await CountAsync(customerId, "Cancelled");

async Task<long> CountAsync(string customerId, string status) =>
    (await http.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customerId}&status={status}&pageSize=1")).GetProperty("totalCount").GetInt64();

AuthenticationHeaderValue Bearer(string subject, string role) =>
    new("Bearer", LocalTokens.Mint(signingKey, signing, subject, [role], DateTimeOffset.UtcNow));

double Percentile(int p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p / 100.0 * latencies.Count) - 1)];

static async Task Until(Func<Task<bool>> condition, TimeSpan? timeout = null, TimeSpan? every = null)
{
    var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("The system did not get there in time.");
        }

        await Task.Delay(every ?? TimeSpan.FromMilliseconds(50));
    }
}
