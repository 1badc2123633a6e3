using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Modular.BuildingBlocks.Security;
using Modular.Host;
using Modular.Modules.Payments.Provider;
using Modular.Testing;

namespace Modular.EndToEndTests.Console;

/// <summary>The whole shop on Kestrel, with a payment provider whose refunds fail at will, and a browser to look at it.</summary>
public sealed class ConsoleShop : IAsyncLifetime
{
    public RefundOutageProvider Provider { get; } = new();

    public ModularTestHost Host { get; private set; } = null!;

    public ConsoleBrowser Browser { get; private set; } = null!;

    public ShopDriver Shop => new(Host.Client);

    public async Task InitializeAsync()
    {
        Host = await ModularTestHost.StartOnKestrelAsync(await PostgresServer.CreateDatabaseAsync("opsbrowser"), ModuleCatalog.All,
            RefundOutageProvider.GiveUpAtOnce, services => services.AddSingleton<IPaymentProvider>(Provider));
        // A test host compiles an endpoint's code on its first request (the shipped host loads it pre-generated): under a
        // loaded CI the first read of the attention list took longer than a page's 20 s. Each API the pages read is
        // called once here, so the browser waits for the console, not for the compiler.
        foreach (var api in ConsoleApis)
        {
            (await Host.Client.GetAsync(api)).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Host.Client.GetAsync($"/api/v1/orders/{Guid.NewGuid()}")).StatusCode);
        Browser = await ConsoleBrowser.LaunchAsync();
    }

    private static readonly string[] ConsoleApis =
        ["/api/modules", "/api/platform/activity", "/api/platform/dead-letters", "/api/v1/orders/attention"];

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        await Host.DisposeAsync();
    }
}

/// <summary>
/// The operations console in headless Chromium, as an operator uses it: sign in with a pasted token, read the topology,
/// watch a module's figures move, find a dead-lettered refund, replay it and see its order end. Each page's screenshot
/// goes to the test artefacts (<see cref="ConsoleBrowser.ScreenshotFolder"/>).
/// </summary>
public sealed class OperationsConsoleBrowserTests(ConsoleShop console) : IClassFixture<ConsoleShop>, IAsyncLifetime
{
    private readonly List<string> _scriptErrors = [];
    private IPage _page = null!;

    public async Task InitializeAsync() => _page = await console.Browser.NewPageAsync(console.Host.Address!, _scriptErrors);

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        Assert.True(_scriptErrors.Count == 0, $"The console's script failed: {string.Join(Environment.NewLine, _scriptErrors)}");
    }

    [Fact]
    public async Task A_customer_token_is_refused_and_an_admin_sees_every_module_and_the_messages_between_them()
    {
        await _page.GotoAsync("/ops");
        await ConsoleBrowser.ScreenshotAsync(_page, "sign-in");
        await SignInAsync(TestIdentity.Token("alice", Roles.Customer));
        await Assertions.Expect(_page.Locator("#signin-problem")).ToHaveTextAsync("This token is not an admin's: the console needs the admin role.");

        await SignInAsync(TestIdentity.Token(TestIdentity.Admin, Roles.Admin));

        var modules = ModuleCatalog.All.Select(m => m.Name).ToArray();
        await Assertions.Expect(_page.Locator("#modules tbody th")).ToHaveTextAsync(modules);
        await Assertions.Expect(_page.Locator("svg.diagram g.node")).ToHaveCountAsync(modules.Length);
        await Assertions.Expect(_page.Locator("svg.diagram g.flow[data-from='Ordering'][data-to='Payments'] text")).ToHaveTextAsync("AuthorizePayment, RefundPayment");
        // Degraded while another test's dead letter waits in Payments: ready either way.
        await Assertions.Expect(_page.Locator(".process .badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Healthy|Degraded)$"));
        await Assertions.Expect(_page.Locator(".process")).ToContainTextAsync($"hosts {string.Join(", ", modules)}");
        await ConsoleBrowser.ScreenshotAsync(_page, "topology");
    }

    [Fact]
    public async Task A_module_s_handled_count_rises_on_the_health_page_as_orders_are_placed()
    {
        await _page.GotoAsync("/ops/health");
        await SignInAsync(TestIdentity.Token(TestIdentity.Admin, Roles.Admin));
        var handled = _page.Locator("tr[data-module='Ordering'] td[data-figure='handled']");
        await Assertions.Expect(handled).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d"));
        var before = Count(await handled.TextContentAsync());

        var sku = await console.Shop.StockedProductAsync(price: 4m, onHand: 10);
        var orders = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            orders.Add(await console.Shop.PlaceOrderAsync("hana", [new(sku, 1)]));
        }

        foreach (var order in orders)
        {
            Assert.Equal("Confirmed", (await console.Shop.FinalOrderAsync(order)).GetProperty("status").GetString());
        }

        // Ordering handles at least the stock reservation and the payment authorisation of each order.
        var after = await Eventually.Get(async () => Count(await handled.TextContentAsync()), n => n >= before + 2 * orders.Count,
            $"Ordering's handled count on the page to rise from {before} by at least {2 * orders.Count}", TimeSpan.FromSeconds(20));
        Assert.True(after >= before + 2 * orders.Count);
        await Assertions.Expect(_page.Locator("tr[data-module='Ordering'] td[data-figure='p50']")).Not.ToHaveTextAsync("–");
        await ConsoleBrowser.ScreenshotAsync(_page, "health");
    }

    [Fact]
    public async Task A_dead_lettered_refund_is_replayed_from_the_console_and_its_order_ends_cancelled_and_refunded()
    {
        var sku = await console.Shop.StockedProductAsync(price: 10m, onHand: 3);
        var orderId = await console.Shop.PlaceOrderAsync("olivia", [new(sku, 2)]);
        Assert.Equal("Confirmed", (await console.Shop.FinalOrderAsync(orderId)).GetProperty("status").GetString());
        console.Provider.RefundsFail = true;
        Assert.Equal(HttpStatusCode.Accepted, (await console.Host.Client.PostAsync($"/api/orders/{orderId}/cancel", null)).StatusCode);
        await Eventually.Get(
            () => console.Host.Client.GetFromJsonAsync<JsonElement>("/api/platform/dead-letters?module=Payments&messageType=RefundPayment"),
            p => p.GetProperty("items").EnumerateArray().Any(d => d.GetProperty("message").GetProperty("orderId").GetGuid() == orderId),
            "the refund in Payments' dead letters");

        // The order waits, Cancelling, for the refund: the orders page says so and what its deadline will do.
        await _page.GotoAsync("/ops/orders?olderThanSeconds=0");
        await SignInAsync(TestIdentity.Token(TestIdentity.Admin, Roles.Admin));
        var stuck = _page.Locator($"#orders tr[data-order='{orderId}']");
        await Assertions.Expect(stuck.Locator("td").Nth(1)).ToHaveTextAsync("Cancelling");
        await Assertions.Expect(stuck).ToContainTextAsync("RefundPayment (Payments)");
        await stuck.Locator("summary").ClickAsync();
        await Assertions.Expect(stuck.Locator("li[data-event='CancellationRequested']")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(_page, "orders");

        await _page.Locator("nav a[data-page='dead-letters']").ClickAsync();
        var letter = _page.Locator("#dead-letters tbody tr[data-message-type='RefundPayment']").Filter(new LocatorFilterOptions { HasText = orderId.ToString() });
        await Assertions.Expect(letter).ToHaveCountAsync(1);
        await Assertions.Expect(letter).ToContainTextAsync("PaymentProviderUnavailableException");
        await Assertions.Expect(letter.Locator(".exception-message")).ToHaveTextAsync("Payment provider unreachable (test outage).");
        await letter.Locator("summary").ClickAsync();
        await Assertions.Expect(letter.Locator("pre")).ToContainTextAsync($"\"orderId\": \"{orderId}\"");
        await ConsoleBrowser.ScreenshotAsync(_page, "dead-letters");

        console.Provider.RefundsFail = false;
        await letter.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Replay", Exact = true }).ClickAsync();
        await Assertions.Expect(_page.Locator("#confirm-text")).ToContainTextAsync("Replay the RefundPayment message of Payments?");
        await _page.Locator("#confirm-ok").ClickAsync();
        await Assertions.Expect(_page.Locator("#status")).ToHaveTextAsync("Replayed 1 message(s): back in their inboxes.");

        await _page.GotoAsync($"/ops/orders?order={orderId}");
        await Assertions.Expect(_page.Locator("#order .order-status")).ToHaveTextAsync("Cancelled", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Assertions.Expect(_page.Locator("#order li[data-event='PaymentRefunded']")).ToContainTextAsync("20");
        await Assertions.Expect(_page.Locator($"#orders tr[data-order='{orderId}']")).ToHaveCountAsync(0);
        var payment = await console.Shop.PaymentAsync(orderId);
        Assert.Equal(("Refunded", 20m), (payment.GetProperty("status").GetString(), payment.GetProperty("amount").GetDecimal()));
        var left = await console.Host.Client.GetFromJsonAsync<JsonElement>("/api/platform/dead-letters?module=Payments&messageType=RefundPayment");
        Assert.DoesNotContain(left.GetProperty("items").EnumerateArray(), d => d.GetProperty("message").GetProperty("orderId").GetGuid() == orderId);
        Assert.Equal(3, (await console.Shop.StockAsync(sku)).GetProperty("available").GetInt32());
    }

    /// <summary>axe-core (Deque's accessibility engine) over each page with its data drawn: nothing serious or critical.</summary>
    [Fact]
    public async Task Every_page_passes_an_accessibility_check_with_nothing_serious()
    {
        await _page.GotoAsync("/ops");
        var violations = new List<string>();
        await Check("sign-in");
        await SignInAsync(TestIdentity.Token(TestIdentity.Admin, Roles.Admin));
        await _page.Locator("svg.diagram").WaitForAsync();
        await Check("topology");
        foreach (var (page, drawn) in new[] { ("health", "table.activity"), ("dead-letters", "#dead-letters, #no-dead-letters"), ("orders", "#orders, #no-orders") })
        {
            await _page.GotoAsync($"/ops/{page}");
            await _page.Locator(drawn).First.WaitForAsync();
            await Check(page);
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));

        async Task Check(string page)
        {
            var result = await _page.RunAxe();
            Assert.True(result.Passes.Length > 0, $"axe checked nothing on {page}");
            violations.AddRange(result.Violations
                .Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{page}: {v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
        }
    }

    private async Task SignInAsync(string token)
    {
        await _page.Locator("#token").FillAsync(token);
        await _page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
    }

    private static long Count(string? text) => long.Parse(new string((text ?? "").Where(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
}
