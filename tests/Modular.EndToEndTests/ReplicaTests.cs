using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Testing;
using Xunit.Abstractions;

namespace Modular.EndToEndTests;

/// <summary>
/// Replicas of every process of the split shape share the work, and losing one to <c>kill -9</c> under load loses no order
/// and ends none twice: the survivors take over its messages once it is taken for dead (<c>Modular:ReplicaTimeout</c>,
/// 8 s). The recovery time is written to the test output and bounded by <see cref="RecoveryBound"/>. See docs/adr/0026.
/// </summary>
public abstract class ReplicaTests<TShop>(TShop shop, ITestOutputHelper output) : IClassFixture<TShop>
    where TShop : ReplicatedShop
{
    protected TShop Shop => shop;

    [Fact]
    public async Task Two_replicas_of_the_extracted_process_share_the_messages_and_losing_one_under_load_ends_every_order_once()
    {
        var (sku, customer) = await PrepareAsync("extracted");
        await using var traffic = OrderTraffic.Start(shop.Address, customer, [sku]);
        await Eventually.Get(() => HandledAsync(shop.Extracted), handled => handled.All(n => n >= 10), "both Inventory+Payments replicas to handle messages",
            TimeSpan.FromSeconds(60));
        var shared = await HandledAsync(shop.Extracted);

        var killedAt = DateTimeOffset.UtcNow;
        await shop.KillAsync(shop.Extracted[0]);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await traffic.StopAsync();

        await AssertEveryOrderEndedOnceAsync(sku, customer, traffic, killedAt, $"extracted replicas handled {string.Join(" and ", shared)} messages before the kill");
    }

    protected async Task<(string Sku, string Customer)> PrepareAsync(string name)
    {
        // Every replica serves before the test starts: an earlier test may have killed one.
        await shop.ReviveAsync();

        var driver = new ShopDriver(shop.Client);
        var sku = await driver.StockedProductAsync(price: 3m, onHand: 10_000);
        await driver.FinalOrderAsync(await driver.PlaceOrderAsync("warm-up", [new(sku, 1)]));
        return (sku, $"{name}-{Guid.NewGuid():N}");
    }

    /// <summary>
    /// Every order the customer has, answered or not (a request cut by the kill may still have placed one), reached one
    /// ending, the one its payment token calls for when the answer was seen; stock and payments add up.
    /// </summary>
    /// <summary>
    /// How long after the kill the orders then in flight may end: seconds, not Wolverine's default of about 78 s. Measured
    /// 0.7-15.6 s in CI runs on 2 loaded cores.
    /// </summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(45);

    protected async Task AssertEveryOrderEndedOnceAsync(string sku, string customer, OrderTraffic traffic, DateTimeOffset killedAt, string shared)
    {
        var driver = new ShopDriver(shop.Client);
        var accepted = traffic.Requests.Where(r => r.OrderId is not null).ToDictionary(r => r.OrderId!.Value, r => r);
        var ids = await OrderIdsAsync(customer);
        var orders = await Task.WhenAll(ids.Select(id => driver.FinalOrderAsync(id, TimeSpan.FromSeconds(120))));

        var recovery = orders
            .Where(o => ShopDriver.Timeline(o).Length > 0 && o.GetProperty("placedAt").GetDateTimeOffset() < killedAt)
            .Select(o => o.GetProperty("timeline").EnumerateArray().Max(e => e.GetProperty("at").GetDateTimeOffset()) - killedAt)
            .DefaultIfEmpty(TimeSpan.Zero)
            .Max();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{typeof(TShop).Name}: {shared}; {orders.Length} orders; the last order placed before the kill ended {recovery.TotalSeconds:0.0} s after it. " +
            $"Answers: {traffic.Describe(DateTimeOffset.MinValue, DateTimeOffset.MaxValue)}"));

        Assert.True(accepted.Keys.All(ids.Contains), "an accepted order is missing from the customer's orders");
        Assert.True(recovery < RecoveryBound, $"the orders in flight at the kill ended {recovery.TotalSeconds:0.0} s after it, " +
            $"more than {RecoveryBound.TotalSeconds:0} s: Wolverine's default node timings took about 78 s (docs/adr/0026)");
        var endedAfterTheKill = orders.Count(o => o.GetProperty("placedAt").GetDateTimeOffset() < killedAt
            && o.GetProperty("timeline").EnumerateArray().Max(e => e.GetProperty("at").GetDateTimeOffset()) > killedAt);
        Assert.True(endedAfterTheKill > 0, "the kill came when no order was in flight: it proves nothing");
        Assert.True(accepted.Count >= 20, $"too little traffic to prove anything: {traffic.Describe(DateTimeOffset.MinValue, DateTimeOffset.MaxValue)}");
        Assert.Contains(accepted.Values, r => r.At > killedAt);
        var confirmed = 0;
        foreach (var order in orders)
        {
            var id = order.GetProperty("id").GetGuid();
            var status = order.GetProperty("status").GetString();
            var timeline = ShopDriver.Timeline(order);
            Assert.True(timeline.Distinct().Count() == timeline.Length, $"order {id} recorded a step twice: {string.Join(", ", timeline)}");
            if (accepted.TryGetValue(id, out var request))
            {
                Assert.Equal(request.Token == "tok_decline" ? "Rejected" : "Confirmed", status);
            }

            if (status == "Confirmed")
            {
                confirmed++;
                var payment = await driver.PaymentAsync(id);
                Assert.Equal(("Authorized", 3m), (payment.GetProperty("status").GetString(), payment.GetProperty("amount").GetDecimal()));
            }
            else
            {
                Assert.Equal("Rejected", status);
            }
        }

        var stock = await driver.StockAsync(sku);
        Assert.Equal((10_000, 1 + confirmed), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
    }

    private async Task<List<Guid>> OrderIdsAsync(string customer)
    {
        var ids = new List<Guid>();
        for (var page = 1; ; page++)
        {
            var list = await shop.Client.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customer}&page={page}&pageSize=100");
            var items = list.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
            ids.AddRange(items);
            if (items.Count < 100)
            {
                return ids;
            }
        }
    }

    /// <summary>The messages each replica's modules handled, from its own <c>/metrics</c>.</summary>
    private static Task<double[]> HandledAsync(IEnumerable<HostProcess> replicas) =>
        Task.WhenAll(replicas.Select(r => SumAsync(r, s => s.Name == "modular_messages_handled_total")));

    /// <summary>The order placements each replica answered, from its own <c>/metrics</c>.</summary>
    protected static Task<double[]> RequestsAsync(IEnumerable<HostProcess> replicas) =>
        Task.WhenAll(replicas.Select(r => SumAsync(r, s => s.Name == "modular_orders_placed_total")));

    private static async Task<double> SumAsync(HostProcess replica, Func<Sample, bool> series)
    {
        using var http = new HttpClient { BaseAddress = replica.BaseAddress };
        return Sample.Parse(await http.GetStringAsync("/metrics")).Where(series).Sum(s => s.Value);
    }
}

/// <summary>Over PostgreSQL queues, and with two replicas of the gateway too.</summary>
public sealed class ReplicasOverPostgreSql(ReplicatedOverPostgreSqlShop shop, ITestOutputHelper output)
    : ReplicaTests<ReplicatedOverPostgreSqlShop>(shop, output)
{
    [Fact]
    public async Task Two_replicas_of_the_gateway_behind_one_address_share_the_requests_and_losing_one_under_load_ends_every_order_once()
    {
        var (sku, customer) = await PrepareAsync("gateway");
        await using var traffic = OrderTraffic.Start(Shop.Address, customer, [sku]);
        await Eventually.Get(() => RequestsAsync(Shop.Main), served => served.All(n => n >= 10), "both Catalog+Ordering replicas to serve orders",
            TimeSpan.FromSeconds(60));
        var shared = await RequestsAsync(Shop.Main);

        var killedAt = DateTimeOffset.UtcNow;
        await Shop.KillAsync(Shop.Main[0]);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await traffic.StopAsync();

        await AssertEveryOrderEndedOnceAsync(sku, customer, traffic, killedAt, $"gateway replicas served {string.Join(" and ", shared)} order requests before the kill");
    }
}

[Collection(RabbitMqBroker.Name)]
public sealed class ReplicasOverRabbitMq(ReplicatedOverRabbitMqShop shop, ITestOutputHelper output)
    : ReplicaTests<ReplicatedOverRabbitMqShop>(shop, output);
