using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.BuildingBlocks.Security;

// Usage: Modular.LoadTest <base-url> [orders=500] [concurrency=16] [products=10] [warmup=0] [--rate N] [--hook COMMAND]
//          --rate N        offer N orders a second whatever the answers take (open loop), instead of `concurrency`
//                          clients each placing its next order once the last is answered (closed loop)
//          --hook COMMAND  runs `COMMAND start` as the clock starts (after the warm-up) and `COMMAND end` once every
//                          order is final, before the latencies are read (scripts/lib/bench-probe.sh measures between)
//        Modular.LoadTest get-product <base-url> [seconds=10] [connections=16]   GET /api/catalog/products/{sku}
//        Modular.LoadTest ceiling [seconds=10] [connections=16]   the same client against a minimal endpoint
//        Modular.LoadTest otlp-sink <port>      (a stand-in collector for scripts/bench-telemetry.sh)
// Tokens are minted with the host's local signing key: Modular__Authentication__SigningKeyPath (default .local/signing-key.pem).
switch (args)
{
    case ["otlp-sink", var sinkPort]:
        return await OtlpSink.RunAsync(int.Parse(sinkPort, CultureInfo.InvariantCulture));
    case ["get-product", var productHost, .. var getArgs]:
        return await GetLoad.ProductAsync(new Uri(productHost), getArgs);
    case ["ceiling", .. var ceilingArgs]:
        return await GetLoad.CeilingAsync(ceilingArgs);
    case [CeilingServer.Command]:
        return await CeilingServer.RunAsync();
}

var positional = new List<string>();
double? rate = null;
string? hook = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rate" when i + 1 < args.Length:
            rate = double.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--hook" when i + 1 < args.Length:
            hook = args[++i];
            break;
        default:
            positional.Add(args[i]);
            break;
    }
}

var baseUrl = positional.Count > 0 ? positional[0] : "http://127.0.0.1:5080";
var orders = positional.Count > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 500;
var concurrency = positional.Count > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 16;
var productCount = positional.Count > 3 ? int.Parse(positional[3], CultureInfo.InvariantCulture) : 10;
var warmup = positional.Count > 4 ? int.Parse(positional[4], CultureInfo.InvariantCulture) : 0;

using var http = Tokens.StaffClient(new Uri(baseUrl));
var run = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
var customer = $"load-{run}";
var warmCustomer = $"warm-{run}";
var customers = new Dictionary<string, AuthenticationHeaderValue>
{
    [customer] = Tokens.Bearer(customer, Roles.Customer),
    [warmCustomer] = Tokens.Bearer(warmCustomer, Roles.Customer),
};

// Hosts from before bearer tokens (a63e2d4, the baseline of scripts/benchmark.sh) take the customer from the body and
// refuse an order without it; today's take it from the token and refuse a body with it. The first answer tells which.
var customerInBody = false;

// Products with enough stock for every order, known to Inventory and to Ordering's price list before the clock starts.
var skus = Enumerable.Range(1, productCount).Select(i => $"LOAD-{run}-{i}").ToList();
foreach (var sku in skus)
{
    (await http.PostAsJsonAsync("/api/catalog/products", new { sku, name = $"Load {sku}", price = 1.25m, currency = "EUR" })).EnsureSuccessStatusCode();
    await Until(async () => (await ReceiveAsync(sku, orders + warmup + 10)).StatusCode == HttpStatusCode.OK);
    await Until(async () => await PlaceFirstAsync(sku));
}

if (warmup > 0)
{
    Console.WriteLine($"Warming up with {warmup} orders...");
    await PlaceAllAsync(warmup, warmCustomer, new Dictionary<Guid, DateTimeOffset>());
    await Until(async () => await AllFinalAsync(warmCustomer, warmup + productCount), TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(100));
}

Console.WriteLine(rate is { } offered
    ? string.Create(CultureInfo.InvariantCulture, $"Offering {orders} orders at {offered} a second against {baseUrl} over {productCount} products...")
    : $"Placing {orders} orders against {baseUrl} with {concurrency} concurrent clients over {productCount} products...");
var placedAt = new Dictionary<Guid, DateTimeOffset>();
Hook("start");
var clock = Stopwatch.StartNew();
var start = DateTimeOffset.UtcNow;
await (rate is { } perSecond ? PlaceAtRateAsync(orders, perSecond, customer, placedAt) : PlaceAllAsync(orders, customer, placedAt));
var placedIn = clock.Elapsed;

await Until(async () => await AllFinalAsync(customer, orders), TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(100));
Hook("end");
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
var offeredLoad = rate is { } load ? string.Create(CultureInfo.InvariantCulture, $"offered={load}/s ") : "";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{offeredLoad}orders={orders} confirmed={confirmed} placed_in={placedIn.TotalSeconds:F1}s all_confirmed_in={seconds:F1}s " +
    $"throughput={confirmed / seconds:F0} orders/s to Confirmed; POST->Confirmed p50={Percentiles.Of(latencies, 50):F0} ms " +
    $"p95={Percentiles.Of(latencies, 95):F0} ms p99={Percentiles.Of(latencies, 99):F0} ms max={latencies.LastOrDefault():F0} ms"));
return confirmed == orders ? 0 : 1;

Task<HttpResponseMessage> ReceiveAsync(string sku, int quantity)
{
    var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inventory/stock/{sku}/receipts") { Content = JsonContent.Create(new { quantity }) };
    request.Headers.Add("Idempotency-Key", $"load-receipt-{sku}");
    return http.SendAsync(request);
}

Task<HttpResponseMessage> PlaceAsync(string sku, string customerId)
{
    var lines = new[] { new { sku, quantity = 1 } };
    var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
    {
        Content = customerInBody
            ? JsonContent.Create(new { customerId, lines, paymentToken = "tok_visa" })
            : JsonContent.Create(new { lines, paymentToken = "tok_visa" }),
    };
    request.Headers.Authorization = customers[customerId];
    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
    return http.SendAsync(request);
}

// Accepted once Ordering has heard of the product; a host that wants the customer in the body says so first.
async Task<bool> PlaceFirstAsync(string sku)
{
    using var response = await PlaceAsync(sku, warmCustomer);
    if (response.StatusCode == HttpStatusCode.BadRequest && !customerInBody &&
        (await response.Content.ReadAsStringAsync()).Contains("customerId", StringComparison.OrdinalIgnoreCase))
    {
        customerInBody = true;
    }

    return response.StatusCode == HttpStatusCode.Accepted;
}

async Task PlaceOneAsync(string sku, string customerId, DateTimeOffset sent, Dictionary<Guid, DateTimeOffset> placed)
{
    using var response = await PlaceAsync(sku, customerId);
    response.EnsureSuccessStatusCode();
    var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
    lock (placed)
    {
        placed[id] = sent;
    }
}

async Task PlaceAllAsync(int count, string customerId, Dictionary<Guid, DateTimeOffset> placed)
{
    using var gate = new SemaphoreSlim(concurrency);
    await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            await PlaceOneAsync(skus[i % skus.Count], customerId, DateTimeOffset.UtcNow, placed);
        }
        finally
        {
            gate.Release();
        }
    }));
}

// Order i is due i/rate seconds in, answered or not, and its latency counts from then: a host that falls behind the
// offered load shows it in the figures instead of slowing the load down (no coordinated omission).
async Task PlaceAtRateAsync(int count, double perSecond, string customerId, Dictionary<Guid, DateTimeOffset> placed)
{
    var origin = DateTimeOffset.UtcNow;
    var elapsed = Stopwatch.StartNew();
    var sends = new List<Task>(count);
    for (var i = 0; i < count; i++)
    {
        var due = TimeSpan.FromSeconds(i / perSecond);
        if (due > elapsed.Elapsed)
        {
            await Task.Delay(due - elapsed.Elapsed);
        }

        sends.Add(PlaceOneAsync(skus[i % skus.Count], customerId, origin + due, placed));
    }

    await Task.WhenAll(sends);
}

// One query a poll while the orders are all Confirmed, as they should be: the polls run inside the measured window.
async Task<bool> AllFinalAsync(string customerId, long count)
{
    var final = await CountAsync(customerId, "Confirmed");
    if (final < count)
    {
        final += await CountAsync(customerId, "Rejected") + await CountAsync(customerId, "Cancelled");
    }

    return final >= count;
}

async Task<long> CountAsync(string customerId, string status) =>
    (await http.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customerId}&status={status}&pageSize=1")).GetProperty("totalCount").GetInt64();

void Hook(string phase)
{
    if (hook is null)
    {
        return;
    }

    using var process = Process.Start("/bin/sh", ["-c", $"{hook} {phase}"]);
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"The hook '{hook} {phase}' exited with code {process.ExitCode}.");
    }
}

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
