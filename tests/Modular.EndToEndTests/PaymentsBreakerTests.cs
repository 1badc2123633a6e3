using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modular.Host;
using Modular.Testing;
using Wolverine.Logging;
using Wolverine.Runtime;
using Wolverine.Transports;

namespace Modular.EndToEndTests;

/// <summary>
/// The Payments circuit breaker against the whole shop in one process, where Ordering sends each order's payment to
/// the Payments inbox from its own transaction. See docs/adr/0013.
/// </summary>
public sealed class PaymentsBreakerTests
{
    private static readonly TimeSpan PauseTime = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan InboxStaleTime = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_burst_of_orders_with_flaky_payments_trips_the_breaker_and_every_order_is_still_confirmed_without_a_restart()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("breaker_burst"), ModuleCatalog.All,
            new Dictionary<string, string?>
            {
                ["Payments:CircuitBreaker:MinimumThreshold"] = "3",
                ["Payments:CircuitBreaker:FailurePercentageThreshold"] = "50",
                ["Payments:CircuitBreaker:PauseTime"] = PauseTime.ToString(),
                ["Modular:InboxStaleTime"] = InboxStaleTime.ToString(),
            });
        var driver = new ShopDriver(host.Client);
        var sku = await driver.StockedProductAsync(price: 2m, onHand: 100);
        await driver.FinalOrderAsync(await driver.PlaceOrderAsync("warm-up", [new(sku, 1)]));
        var customer = $"burst-{Guid.NewGuid():N}";
        using var paused = new PausedSignal(host.Services.GetRequiredService<IWolverineRuntime>());

        // Every third payment fails three times before it is authorised: enough failures to open the breaker.
        var firstWave = await PlaceAsync(driver, customer, sku, 12);
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Placed while the payments inbox is paused: Ordering sends their payments to it from its own transactions.
        var secondWave = await PlaceAsync(driver, customer, sku, 24);

        var orders = firstWave.Length + secondWave.Length;
        await Eventually.Get(() => CountAsync(host.Client, customer, "Confirmed"), confirmed => confirmed == orders,
            // A stranded order would wait minutes (ADR 0013); the margin is for a machine busy with other tests.
            $"all {orders} orders to be confirmed", PauseTime + InboxStaleTime + TimeSpan.FromSeconds(60));
    }

    private static Task<Guid[]> PlaceAsync(ShopDriver driver, string customer, string sku, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i => driver.PlaceOrderAsync(customer, [new(sku, 1)], i % 3 == 0 ? "tok_fail_3" : "tok_visa")));

    private static async Task<long> CountAsync(HttpClient client, string customer, string status) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customer}&status={status}&pageSize=1"))
        .GetProperty("totalCount").GetInt64();

    /// <summary>Completes when the payments inbox reports itself paused, which it does once it has drained.</summary>
    private sealed class PausedSignal : IObserver<IWolverineEvent>, IDisposable
    {
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly IDisposable _subscription;

        public PausedSignal(IWolverineRuntime runtime) => _subscription = runtime.Tracker.Subscribe(this);

        public Task Task => _paused.Task;

        public void OnNext(IWolverineEvent value)
        {
            if (value is ListenerState { Status: ListeningStatus.Paused } state && state.Uri.Scheme == "local" && state.Uri.Host == "payments")
            {
                _paused.TrySetResult();
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose() => _subscription.Dispose();
    }
}
