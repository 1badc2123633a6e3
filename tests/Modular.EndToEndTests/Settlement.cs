using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Modular.EndToEndTests;

/// <summary>
/// What an outage cost, counted once every order had time to end. <see cref="Lost"/>: accepted orders that are missing
/// or never reached a final status. <see cref="HandledTwice"/>: orders with a step twice in their timeline, stock
/// reserved beyond the confirmed orders' units (counted only when no order is lost: a stranded order may hold stock), or
/// a payment at odds with the order's ending.
/// </summary>
public sealed record OutageFigures(int Accepted, int PlacedWithoutAnswer, TimeSpan? TimeToRecover, int Lost, int HandledTwice, IReadOnlyList<string> Problems)
{
    public void Print(ITestOutputHelper output)
    {
        output.WriteLine($"accepted orders (202): {Accepted}; orders placed whose answer the client never got: {PlacedWithoutAnswer}");
        output.WriteLine($"time to recover (from the dependency back to every order final): {(TimeToRecover is { } t ? $"{t.TotalSeconds:0.0} s" : "not within the timeout")}");
        output.WriteLine($"orders lost: {Lost}; orders handled twice: {HandledTwice}");
        foreach (var problem in Problems.Take(20))
        {
            output.WriteLine($"  {problem}");
        }
    }
}

public static class Settlement
{
    private static readonly string[] ConfirmedTimeline = ["Placed", "StockReserved", "PaymentAuthorized", "Confirmed"];
    private static readonly string[] DeclinedTimeline = ["Placed", "StockReserved", "PaymentDeclined", "StockReleased", "Rejected"];

    /// <summary>
    /// Waits until every order of <paramref name="customer"/> is final (at most <paramref name="timeout"/>), then checks
    /// each one: its ending is the one its payment token calls for, reached once, and stock and payments agree with it.
    /// All orders are for <paramref name="skus"/>, with <paramref name="onHand"/> units of each: enough for every order.
    /// </summary>
    public static async Task<OutageFigures> SettleAsync(
        ShopDriver driver, string customer, IReadOnlyList<string> skus, int onHand, IReadOnlyDictionary<Guid, string> accepted, DateTimeOffset recoveryFrom, TimeSpan timeout)
    {
        var recovered = await WaitUntilAllFinalAsync(driver, customer, accepted.Count, recoveryFrom, timeout);

        var problems = new List<string>();
        var lost = 0;
        var twice = 0;
        var ids = await OrderIdsAsync(driver, customer);
        foreach (var missing in accepted.Keys.Where(id => !ids.Contains(id)))
        {
            lost++;
            problems.Add($"order {missing} was accepted but does not exist");
        }

        var confirmedUnits = 0;
        foreach (var id in ids)
        {
            var order = await driver.OrderAsync(id);
            var status = order.GetProperty("status").GetString();
            var timeline = ShopDriver.Timeline(order);
            var token = accepted.GetValueOrDefault(id);
            if (!ShopDriver.FinalStatuses.Contains(status))
            {
                lost++;
                problems.Add($"order {id} is stranded in {status}: {string.Join(", ", timeline)}");
                continue;
            }

            var expected = token switch
            {
                "tok_visa" => ConfirmedTimeline,
                "tok_decline" => DeclinedTimeline,
                // Placed by a request whose answer was lost: either ending is right, once.
                _ => status == "Confirmed" ? ConfirmedTimeline : DeclinedTimeline,
            };
            if (!timeline.SequenceEqual(expected))
            {
                twice += timeline.Distinct().Count() != timeline.Length ? 1 : 0;
                problems.Add($"order {id} ({token ?? "no answer"}) went {string.Join(", ", timeline)}; expected {string.Join(", ", expected)}");
            }

            var payment = await driver.PaymentAsync(id);
            var paid = (payment.GetProperty("status").GetString(), payment.GetProperty("amount").GetDecimal());
            var expectedPayment = (status == "Confirmed" ? "Authorized" : "Declined", order.GetProperty("total").GetDecimal());
            if (paid != expectedPayment)
            {
                twice++;
                problems.Add($"order {id} is {status} but its payment is {paid}");
            }

            confirmedUnits += status == "Confirmed" ? order.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("quantity").GetInt32()) : 0;
        }

        var stock = await Task.WhenAll(skus.Select(driver.StockAsync));
        var reserved = stock.Sum(s => s.GetProperty("reserved").GetInt32());
        if (reserved != confirmedUnits || stock.Any(s => s.GetProperty("onHand").GetInt32() != onHand))
        {
            twice += lost == 0 ? Math.Max(0, reserved - confirmedUnits) : 0;
            problems.Add($"stock: {reserved} units reserved for {confirmedUnits} in confirmed orders; on hand: {string.Join(", ", stock.Select(s => s.GetProperty("onHand").GetInt32()))} of {onHand} each");
        }

        return new OutageFigures(accepted.Count, ids.Count(id => !accepted.ContainsKey(id)), recovered, lost, twice, problems);
    }

    /// <summary>How many orders of <paramref name="customer"/> exist, and how many of them are not final yet.</summary>
    public static async Task<(long Total, long NotFinal)> ProgressAsync(ShopDriver driver, string customer)
    {
        var total = await CountAsync(driver, customer, null);
        var final = 0L;
        foreach (var status in ShopDriver.FinalStatuses)
        {
            final += await CountAsync(driver, customer, status);
        }

        return (total, total - final);
    }

    private static async Task<TimeSpan?> WaitUntilAllFinalAsync(ShopDriver driver, string customer, int accepted, DateTimeOffset from, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                var (total, notFinal) = await ProgressAsync(driver, customer);
                if (total >= accepted && notFinal == 0)
                {
                    return DateTimeOffset.UtcNow - from;
                }
            }
            catch (HttpRequestException)
            {
                // The host is not serving yet.
            }
            catch (TaskCanceledException)
            {
                // Nor answering in time.
            }

            await Task.Delay(200);
        }

        return null;
    }

    private static async Task<long> CountAsync(ShopDriver driver, string customer, string? status) =>
        (await driver.Client.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customer}&pageSize=1{(status is null ? "" : $"&status={status}")}"))
        .GetProperty("totalCount").GetInt64();

    private static async Task<HashSet<Guid>> OrderIdsAsync(ShopDriver driver, string customer)
    {
        var ids = new HashSet<Guid>();
        for (var page = 1; ; page++)
        {
            var items = (await driver.Client.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customer}&pageSize=100&page={page}"))
                .GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
            ids.UnionWith(items);
            if (items.Count < 100)
            {
                return ids;
            }
        }
    }
}
