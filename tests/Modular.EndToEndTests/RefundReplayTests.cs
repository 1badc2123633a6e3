using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modular.Host;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;
using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>
/// A provider that authorises, and fails every refund as unreachable while <see cref="RefundsFail"/> is on: the outage
/// that sends a refund to the dead letters once Payments' retries are spent.
/// </summary>
public sealed class RefundOutageProvider : IPaymentProvider
{
    /// <summary>The host settings that give up on the provider in a fraction of a second rather than after four minutes.</summary>
    public static readonly IReadOnlyDictionary<string, string?> GiveUpAtOnce = new Dictionary<string, string?>
    {
        ["Payments:ProviderRetries:Cooldowns:0"] = "00:00:00.010",
        ["Payments:ProviderRetries:Delays:0"] = "00:00:00.100",
    };

    private volatile bool _refundsFail;

    public bool RefundsFail
    {
        get => _refundsFail;
        set => _refundsFail = value;
    }

    public Task<AuthorizationOutcome> AuthorizeAsync(Guid orderId, decimal amount, string currency, string paymentToken, CancellationToken cancellation) =>
        Task.FromResult<AuthorizationOutcome>(new AuthorizationOutcome.Authorized($"auth_{orderId:N}"));

    public Task RefundAsync(Guid orderId, string authorizationId, decimal amount, string currency, CancellationToken cancellation) =>
        RefundsFail ? throw new PaymentProviderUnavailableException("Payment provider unreachable (test outage).") : Task.CompletedTask;

    public Task VoidAsync(Guid orderId, CancellationToken cancellation) => Task.CompletedTask;
}

/// <summary>
/// A refund the provider could not take is not lost: it waits in the dead letters, and an operator replays it once the
/// provider is back, by the HTTP API or the command line, and the order ends Cancelled and refunded.
/// </summary>
public sealed class RefundReplayTests : IAsyncLifetime
{
    private const string DeadLetters = "/api/platform/dead-letters";
    private readonly RefundOutageProvider _provider = new();
    private ModularTestHost _host = null!;
    private string _database = "";

    private ShopDriver Shop => new(_host.Client);

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync("refundreplay");
        _host = await ModularTestHost.StartAsync(_database, ModuleCatalog.All, RefundOutageProvider.GiveUpAtOnce,
            services => services.AddSingleton<IPaymentProvider>(_provider));
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task A_refund_dead_lettered_by_a_provider_outage_is_replayed_through_the_API_and_the_order_ends_cancelled_and_refunded()
    {
        var (orderId, sku) = await CancelDuringRefundOutageAsync();
        var deadLetter = await DeadLetteredRefundAsync(orderId);
        await AssertCancellingWithStockReleasedAsync(orderId, sku);

        _provider.RefundsFail = false;
        var replay = await _host.Client.PostAsync($"{DeadLetters}/{deadLetter.GetProperty("id").GetGuid()}/replay?module=Payments", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await AssertCancelledAndRefundedAsync(orderId);
    }

    [Fact]
    public async Task A_refund_dead_lettered_by_a_provider_outage_is_replayed_by_the_dead_letters_command()
    {
        var (orderId, sku) = await CancelDuringRefundOutageAsync();
        await DeadLetteredRefundAsync(orderId);
        await AssertCancellingWithStockReleasedAsync(orderId, sku);
        var operatorShell = new Dictionary<string, string> { ["ConnectionStrings__Modular"] = _database };

        var (listed, list) = await HostProcess.RunCommandAsync(operatorShell, "dead-letters list --module Payments");
        Assert.True(listed == 0, list);
        Assert.Contains(orderId.ToString(), list, StringComparison.Ordinal);

        _provider.RefundsFail = false;
        var (replayed, replay) = await HostProcess.RunCommandAsync(operatorShell,
            $"dead-letters replay --module Payments --message-type RefundPayment --exception {typeof(PaymentProviderUnavailableException).FullName}");

        Assert.True(replayed == 0, replay);
        Assert.Contains("\"replayed\": 1", replay, StringComparison.Ordinal);
        await AssertCancelledAndRefundedAsync(orderId);
    }

    [Fact]
    public async Task The_dead_letters_command_refuses_a_module_this_deployment_shape_does_not_host()
    {
        var (exitCode, output) = await HostProcess.RunCommandAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Modular"] = _database,
            ["Modular__Modules__0"] = "Catalog",
            ["Modular__Modules__1"] = "Ordering",
            ["Modular__Modules__2"] = "Shipping",
        }, "dead-letters list --module Payments");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Payments runs in another process", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dead_letters_command_on_a_database_no_host_has_set_up_says_how_to_set_it_up()
    {
        var (exitCode, output) = await HostProcess.RunCommandAsync(
            new Dictionary<string, string> { ["ConnectionStrings__Modular"] = await PostgresServer.CreateDatabaseAsync("deadletters_empty") },
            "dead-letters list");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("no envelope tables", output, StringComparison.Ordinal);
        Assert.Contains("resources setup", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private async Task<(Guid OrderId, string Sku)> CancelDuringRefundOutageAsync()
    {
        var sku = await Shop.StockedProductAsync(price: 10m, onHand: 3);
        var orderId = await Shop.PlaceOrderAsync("olivia", [new(sku, 2)]);
        Assert.Equal("Confirmed", (await Shop.FinalOrderAsync(orderId)).GetProperty("status").GetString());

        _provider.RefundsFail = true;
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync($"/api/orders/{orderId}/cancel", null)).StatusCode);
        return (orderId, sku);
    }

    private async Task<JsonElement> DeadLetteredRefundAsync(Guid orderId)
    {
        var page = await Eventually.Get(() => _host.Client.GetFromJsonAsync<JsonElement>($"{DeadLetters}?module=Payments&messageType=RefundPayment"),
            p => p.GetProperty("totalCount").GetInt64() == 1, "the refund in Payments' dead letters");
        var deadLetter = page.GetProperty("items")[0];
        Assert.Equal("Payments", deadLetter.GetProperty("module").GetString());
        Assert.Equal(typeof(RefundPayment).FullName, deadLetter.GetProperty("messageType").GetString());
        Assert.Equal(typeof(PaymentProviderUnavailableException).FullName, deadLetter.GetProperty("exceptionType").GetString());
        Assert.Equal("Payment provider unreachable (test outage).", deadLetter.GetProperty("exceptionMessage").GetString());
        Assert.Equal(3, deadLetter.GetProperty("attempts").GetInt32());
        Assert.Equal(orderId, deadLetter.GetProperty("message").GetProperty("orderId").GetGuid());
        return deadLetter;
    }

    private async Task AssertCancellingWithStockReleasedAsync(Guid orderId, string sku)
    {
        await Eventually.Get(() => Shop.StockAsync(sku), s => s.GetProperty("available").GetInt32() == 3, "the stock to be released");
        Assert.Equal("Cancelling", (await Shop.OrderAsync(orderId)).GetProperty("status").GetString());
        Assert.Equal("Authorized", (await Shop.PaymentAsync(orderId)).GetProperty("status").GetString());
    }

    private async Task AssertCancelledAndRefundedAsync(Guid orderId)
    {
        await Eventually.Get(() => Shop.OrderAsync(orderId), o => o.GetProperty("status").GetString() == "Cancelled", "the order to be cancelled");
        Assert.Equal("Refunded", (await Shop.PaymentAsync(orderId)).GetProperty("status").GetString());
        var left = await _host.Client.GetFromJsonAsync<JsonElement>($"{DeadLetters}?module=Payments");
        Assert.Equal(0, left.GetProperty("totalCount").GetInt64());
    }
}
