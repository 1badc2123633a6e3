using Microsoft.Extensions.DependencyInjection;
using Modular.Host;
using Modular.Modules.Payments.Provider;
using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>Every module in one process, with deadlines short enough to pass during a test.</summary>
public sealed class ShortDeadlinesShop : IShop
{
    public static readonly TimeSpan PaymentDeadline = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan OverallDeadline = TimeSpan.FromSeconds(15);

    public ModularTestHost Host { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("e2e_deadlines");
        Host = await ModularTestHost.StartAsync(ConnectionString, ModuleCatalog.All, new Dictionary<string, string?>
        {
            ["Ordering:Deadlines:Payment"] = PaymentDeadline.ToString(),
            ["Ordering:Deadlines:Overall"] = OverallDeadline.ToString(),
        });
    }

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();
}

public sealed class OrderDeadlineTests(ShortDeadlinesShop shop) : IClassFixture<ShortDeadlinesShop>
{
    private readonly ShopDriver _shop = new(shop.Client);

    [Fact]
    public async Task An_order_whose_payment_provider_is_down_expires_at_its_payment_deadline_giving_its_stock_back_and_charging_nothing()
    {
        var sku = await _shop.StockedProductAsync(price: 3m, onHand: 2);
        var provider = (SimulatedPaymentProvider)shop.Host.Services.GetRequiredService<IPaymentProvider>();

        var orderId = await _shop.PlaceOrderAsync("ivan", [new(sku, 2)], paymentToken: "tok_down");
        var order = await _shop.FinalOrderAsync(orderId, TimeSpan.FromSeconds(30));

        Assert.Equal("Expired", order.GetProperty("status").GetString());
        var timeline = ShopDriver.Timeline(order);
        Assert.Equal("Expired", timeline[^1]);
        Assert.Contains("DeadlinePassed", timeline);
        Assert.Contains("payment deadline (00:00:05 after placing)", order.GetProperty("rejectionReason").GetString(), StringComparison.Ordinal);
        Assert.Equal((2, 0, 2), Stock(await _shop.StockAsync(sku)));
        Assert.Equal("CancelledBeforeAuthorization", (await _shop.PaymentAsync(orderId)).GetProperty("status").GetString());

        if (timeline.Contains("StockReserved"))
        {
            // The authorisation still being retried finds the order given up on: it voids instead of calling the provider again.
            await Eventually.Get(() => Task.FromResult(provider.VoidsFor(orderId)), n => n == 1, "the retried authorisation to be voided", TimeSpan.FromSeconds(30));
            var attempts = provider.AttemptsFor(orderId);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(attempts, provider.AttemptsFor(orderId));
        }
        else
        {
            // A machine slow enough that the deadline came before the reservation: the late reservation holds nothing and
            // no payment is ever asked for.
            Assert.Equal(0, provider.AttemptsFor(orderId));
        }
    }

    [Fact]
    public async Task An_order_whose_reservation_keeps_failing_expires_at_its_payment_deadline_holding_no_stock_and_charging_nothing()
    {
        var sku = await _shop.StockedProductAsync(price: 4m, onHand: 3);
        // From now on the database refuses every change to this product's stock: Inventory can never answer the reservation.
        var trigger = $"refuse_{sku.Replace('-', '_').ToLowerInvariant()}";
        await Sql.ExecuteAsync(shop.ConnectionString, $"""
            create function inventory.{trigger}() returns trigger language plpgsql as $$
            begin
              if new.id = '{sku}' then raise exception 'stock of {sku} refused by test trigger'; end if;
              return new;
            end $$;
            create trigger {trigger} before update on inventory.mt_doc_stockitem for each row execute function inventory.{trigger}();
            """);

        var orderId = await _shop.PlaceOrderAsync("kim", [new(sku, 2)]);
        var order = await _shop.FinalOrderAsync(orderId, TimeSpan.FromSeconds(30));

        Assert.Equal("Expired", order.GetProperty("status").GetString());
        var timeline = ShopDriver.Timeline(order);
        Assert.Equal(("Placed", "Expired"), (timeline[0], timeline[^1]));
        Assert.Contains("DeadlinePassed", timeline);
        Assert.DoesNotContain("StockReserved", timeline);
        Assert.Contains("waited for its stock to be reserved", order.GetProperty("rejectionReason").GetString(), StringComparison.Ordinal);
        Assert.Equal((3, 0, 3), Stock(await _shop.StockAsync(sku)));
        Assert.Equal("CancelledBeforeAuthorization", (await _shop.PaymentAsync(orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_confirmed_order_ignores_its_deadlines()
    {
        var sku = await _shop.StockedProductAsync(price: 3m, onHand: 1);
        var orderId = await _shop.PlaceOrderAsync("judy", [new(sku, 1)]);
        Assert.Equal("Confirmed", (await _shop.FinalOrderAsync(orderId)).GetProperty("status").GetString());

        await Eventually.Get(() => Sql.CountAsync(shop.ConnectionString,
                "select count(*) from wolverine.wolverine_incoming_envelopes where message_type like '%EnforceOrderDeadline' and status <> 'Handled'"),
            n => n == 0, "both deadlines to come and be handled", TimeSpan.FromSeconds(60));

        var order = await _shop.OrderAsync(orderId);
        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
        Assert.Equal(["Placed", "StockReserved", "PaymentAuthorized", "Confirmed"], ShopDriver.Timeline(order));
        Assert.Equal((1, 1, 0), Stock(await _shop.StockAsync(sku)));
    }

    private static (int OnHand, int Reserved, int Available) Stock(System.Text.Json.JsonElement stock) =>
        (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32(), stock.GetProperty("available").GetInt32());
}
