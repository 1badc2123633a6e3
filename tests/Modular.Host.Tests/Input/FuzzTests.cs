using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wolverine;
using Wolverine.Tracking;
using Xunit.Abstractions;

namespace Modular.Host.Tests.Input;

/// <summary>
/// Generated malformed and edge-case requests against every route the running app's OpenAPI document lists, over real
/// Kestrel. The seed is printed; set MODULAR_FUZZ_SEED to replay a run exactly.
/// </summary>
public sealed class FuzzTests(KestrelShop shop, ITestOutputHelper output) : IClassFixture<KestrelShop>
{
    private const int DefaultSeed = 20261130;
    private const int MalformedRequests = 1000;
    private const int BoundaryRequests = 250;
    private static readonly TimeSpan Slowest = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task No_generated_request_on_any_route_gets_a_5xx_a_slow_answer_or_a_bare_4xx_and_a_refused_one_changes_no_data()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MODULAR_FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen) ? chosen : DefaultSeed;
        output.WriteLine($"Fuzz seed {seed}; replay with MODULAR_FUZZ_SEED={seed}");
        var api = new OpenApiRoutes(JsonNode.Parse((await shop.OpenApiAsync()).GetRawText())!);
        output.WriteLine($"Routes from the OpenAPI document: {string.Join(", ", api.Operations)}");
        var idempotencyKey = $"fuzz-seeded-{Guid.NewGuid()}";
        var orderId = await shop.ConfirmedOrderAsync(shop.Sku, idempotencyKey);
        var fuzzer = new RequestFuzzer(api, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["sku"] = shop.Sku, ["orderId"] = orderId.ToString(), ["idempotencyKey"] = idempotencyKey,
        }, seed);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();

        // Every endpoint compiles its handler on first use in this build; that is not what the time limit is about.
        foreach (var operation in api.Operations)
        {
            await TrackedAsync(fuzzer.WarmUp(operation));
        }

        var mark = DateTimeOffset.UtcNow;
        var before = await DataSnapshot.TakeAsync(shop.ConnectionString);
        var byRoute = new Dictionary<string, int>(StringComparer.Ordinal);
        var byDefect = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < MalformedRequests; i++)
        {
            var request = fuzzer.Malformed();
            var (response, elapsed) = await SendAsync(request);
            failures.AddRange(Check(i, request, response, elapsed, mustBeRefused: true));
            byRoute[request.Operation] = byRoute.GetValueOrDefault(request.Operation) + 1;
            var defect = request.Kind.Split(' ')[0];
            byDefect[defect] = byDefect.GetValueOrDefault(defect) + 1;
        }

        output.WriteLine($"Malformed requests by route: {string.Join(", ", byRoute.Select(c => $"{c.Key} {c.Value}"))}");
        output.WriteLine($"Malformed requests by defect: {string.Join(", ", byDefect.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"))}");
        failures.AddRange(api.Operations.Where(o => byRoute.GetValueOrDefault(o.ToString()) < 10)
            .Select(o => $"Only {byRoute.GetValueOrDefault(o.ToString())} malformed requests reached {o}"));

        var changed = (await DataSnapshot.TakeAsync(shop.ConnectionString)).ChangedSince(before);
        if (changed.Count > 0)
        {
            failures.Add($"Malformed requests changed data in {string.Join(", ", changed)}");
        }

        for (var i = 0; i < BoundaryRequests; i++)
        {
            var request = fuzzer.Boundary();
            var beforeOne = await DataSnapshot.TakeAsync(shop.ConnectionString);
            var (response, elapsed) = await TrackedAsync(request);
            failures.AddRange(Check(MalformedRequests + i, request, response, elapsed, mustBeRefused: false));
            if (response is { Status: >= 400 and < 500 }
                && (await DataSnapshot.TakeAsync(shop.ConnectionString)).ChangedSince(beforeOne) is { Count: > 0 } changedByOne)
            {
                failures.Add($"#{MalformedRequests + i} {request} was refused with {response.Status} but changed {string.Join(", ", changedByOne)}");
            }
        }

        failures.AddRange(shop.LoggedSince(mark, Serilog.Events.LogEventLevel.Error)
            .Select(e => $"Logged an Error: {e.RenderMessage(CultureInfo.InvariantCulture)} {e.Exception?.GetType().Name}"));
        output.WriteLine($"{MalformedRequests + BoundaryRequests} requests in {clock.Elapsed.TotalSeconds:F1} s; {failures.Count} failures");
        Assert.True(failures.Count == 0,
            $"Seed {seed} (replay with MODULAR_FUZZ_SEED={seed}): {failures.Count} failures, first ones:\n{string.Join("\n", failures.Take(25))}");
    }

    private static IEnumerable<string> Check(int number, FuzzCase request, RawResponse? response, TimeSpan elapsed, bool mustBeRefused)
    {
        var what = $"#{number} {request}";
        if (response is null)
        {
            yield return $"{what}: no answer";
            yield break;
        }

        var answer = $"{response.Status} {response.ContentType} {(response.Text.Length > 300 ? response.Text[..300] : response.Text)}";
        if (response.Status >= 500)
        {
            yield return $"{what}: answered {answer}";
        }

        if (elapsed > Slowest)
        {
            yield return $"{what}: took {elapsed.TotalMilliseconds:F0} ms";
        }

        if (mustBeRefused && response.Status is < 400 or >= 500)
        {
            yield return $"{what}: accepted with {answer}";
        }

        if (response.Status is >= 400 and < 500 && !IsProblem(response))
        {
            yield return $"{what}: not problem details: {answer}";
        }

        if (response.Status >= 400 && TypeNameLeak(response.Text))
        {
            yield return $"{what}: names .NET types: {answer}";
        }
    }

    private static bool IsProblem(RawResponse response)
    {
        if (response.ContentType?.Split(';')[0].Trim() != "application/problem+json")
        {
            return false;
        }

        try
        {
            return JsonDocument.Parse(response.Body).RootElement.GetProperty("status").GetInt32() == response.Status;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TypeNameLeak(string text)
    {
        try
        {
            InputHardeningTests.AssertNoTypeNames(text);
            return false;
        }
        catch (Xunit.Sdk.FalseException)
        {
            return true;
        }
    }

    private async Task<(RawResponse? Response, TimeSpan Elapsed)> SendAsync(FuzzCase request)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var responses = await RawHttp.ExchangeAsync(shop.Host.Address!, request.ToBytes());
            return (responses.Count > 0 ? responses[0] : null, clock.Elapsed);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return (null, clock.Elapsed);
        }
    }

    /// <summary>Sends the request and waits until every message it caused has been handled, so its data has settled.</summary>
    private async Task<(RawResponse? Response, TimeSpan Elapsed)> TrackedAsync(FuzzCase request)
    {
        (RawResponse?, TimeSpan) result = default;
        await shop.Host.Tracked().DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ => result = await SendAsync(request)));
        return result;
    }
}
