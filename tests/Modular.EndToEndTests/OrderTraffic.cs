using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.BuildingBlocks.Security;
using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>
/// A few clients placing one-unit orders, for each SKU in turn, one after another, until stopped, recording how each
/// request was answered. Every fifth order pays with <c>tok_decline</c>, the others with <c>tok_visa</c>, so each order has one
/// expected ending. A request that gets no answer within 10 s is given up.
/// </summary>
public sealed class OrderTraffic : IAsyncDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<HttpClient> _clients = [];
    private readonly List<Task> _running = [];
    private readonly IReadOnlyList<string> _skus;
    private int _sequence;

    private OrderTraffic(IReadOnlyList<string> skus)
    {
        _skus = skus;
    }

    /// <summary>What one request was answered: <c>202</c>, a status and content type, or why none came.</summary>
    public sealed record Request(DateTimeOffset At, TimeSpan Took, string Answer, string Token, Guid? OrderId);

    public IReadOnlyList<Request> Requests => _requests.ToArray();

    public static OrderTraffic Start(Uri baseAddress, string customer, IReadOnlyList<string> skus, int clients = 4, TimeSpan? pause = null)
    {
        var traffic = new OrderTraffic(skus);
        for (var i = 0; i < clients; i++)
        {
            var http = new HttpClient { BaseAddress = baseAddress, Timeout = RequestTimeout }.ActingAs(customer, Roles.Customer);
            traffic._clients.Add(http);
            traffic._running.Add(Task.Run(() => traffic.PlaceUntilStoppedAsync(http, pause ?? TimeSpan.FromMilliseconds(50))));
        }

        return traffic;
    }

    /// <summary>Stops placing orders; requests in flight are waited for.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
    }

    /// <summary>The answers given between two instants, counted: <c>202 ×40, 503 application/problem+json Retry-After ×12</c>.</summary>
    public string Describe(DateTimeOffset from, DateTimeOffset to)
    {
        var answers = Requests.Where(r => r.At >= from && r.At < to)
            .GroupBy(r => r.Answer)
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key} ×{g.Count()} (slowest {g.Max(r => r.Took).TotalSeconds:0.0} s)")
            .ToList();
        return answers.Count == 0 ? "no requests" : string.Join(", ", answers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private async Task PlaceUntilStoppedAsync(HttpClient http, TimeSpan pause)
    {
        while (!_stop.IsCancellationRequested)
        {
            var sequence = Interlocked.Increment(ref _sequence);
            var token = sequence % 5 == 0 ? "tok_decline" : "tok_visa";
            var at = DateTimeOffset.UtcNow;
            var started = Stopwatch.GetTimestamp();
            var (answer, orderId) = await PlaceAsync(http, _skus[sequence % _skus.Count], token);
            _requests.Enqueue(new Request(at, Stopwatch.GetElapsedTime(started), answer, token, orderId));
            try
            {
                await Task.Delay(pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<(string Answer, Guid? OrderId)> PlaceAsync(HttpClient http, string sku, string token)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = JsonContent.Create(new { lines = new[] { new { sku, quantity = 1 } }, paymentToken = token }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return ("202", JsonDocument.Parse(body).RootElement.GetProperty("orderId").GetGuid());
            }

            var retryAfter = response.Headers.RetryAfter is null ? "" : " Retry-After";
            return ($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}{retryAfter}", null);
        }
        catch (TaskCanceledException)
        {
            return ($"no answer within {RequestTimeout.TotalSeconds:0} s", null);
        }
        catch (HttpRequestException e)
        {
            return ($"connection failed ({e.HttpRequestError})", null);
        }
    }
}
