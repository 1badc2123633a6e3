using System.Net;
using System.Text;
using Modular.BuildingBlocks.Security;
using Modular.Testing;

namespace Modular.Host.Tests.Abuse;

/// <summary>Per-caller request limits: who counts as one caller, what a refused request gets, what is never limited. See docs/adr/0021.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Placing_orders_past_the_order_limit_answers_429_problem_details_with_Retry_After_while_other_routes_still_serve()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("ratelimit_orders"), ModuleCatalog.All, new Dictionary<string, string?>
        {
            ["Modular:RateLimits:Policies:OrderPlacement:Routes:0"] = "POST /api/v1/orders",
            ["Modular:RateLimits:Policies:OrderPlacement:PermitLimit"] = "2",
            ["Modular:RateLimits:Policies:OrderPlacement:Window"] = "00:01:00",
        });

        var first = await host.Client.SendAsync(PlaceOrder());
        var second = await host.Client.SendAsync(PlaceOrder());
        var third = await host.Client.SendAsync(PlaceOrder());

        // An invalid order still counts: a flood of garbage is a flood.
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        var problem = await Problems.AssertAsync(third, HttpStatusCode.TooManyRequests);
        Assert.Contains("2 such requests per 00:01:00", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.InRange(third.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/catalog/products")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/orders/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task The_health_endpoints_answer_a_caller_who_is_over_its_limit()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("ratelimit_health"), ModuleCatalog.All,
            new Dictionary<string, string?> { ["Modular:RateLimits:PerCaller:PermitLimit"] = "1" });

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/catalog/products")).StatusCode);
        await Problems.AssertAsync(await host.Client.GetAsync("/api/catalog/products"), HttpStatusCode.TooManyRequests);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health/ready")).StatusCode);
        }
    }

    [Fact]
    public async Task Callers_with_a_token_subject_are_limited_each_on_their_own_whatever_their_address()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("ratelimit_subject"), ModuleCatalog.All,
            new Dictionary<string, string?> { ["Modular:RateLimits:PerCaller:PermitLimit"] = "1" });
        using var anonymous = host.AnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(Products("alice"))).StatusCode);
        await Problems.AssertAsync(await anonymous.SendAsync(Products("alice")), HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(Products("bob"))).StatusCode);
        // Without a token the caller is its address, with a budget of its own: refused for want of a token, not throttled.
        await Problems.AssertAsync(await anonymous.SendAsync(Products(subject: null)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_client_it_names_has_its_own_limit()
    {
        await using var host = await ModularTestHost.StartOnKestrelAsync(await PostgresServer.CreateDatabaseAsync("ratelimit_proxy"), ModuleCatalog.All, new Dictionary<string, string?>
        {
            ["Modular:RateLimits:PerCaller:PermitLimit"] = "1",
            ["Modular:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
        });

        using var anonymous = host.AnonymousClient();

        // Callers without a token are counted by address (and then refused for want of one).
        await Problems.AssertAsync(await anonymous.SendAsync(From("203.0.113.1")), HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(await anonymous.SendAsync(From("203.0.113.1")), HttpStatusCode.TooManyRequests);
        await Problems.AssertAsync(await anonymous.SendAsync(From("203.0.113.2")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_client_that_is_not_a_trusted_proxy_cannot_escape_its_limit_by_naming_another_address()
    {
        await using var host = await ModularTestHost.StartOnKestrelAsync(await PostgresServer.CreateDatabaseAsync("ratelimit_spoof"), ModuleCatalog.All, new Dictionary<string, string?>
        {
            ["Modular:RateLimits:PerCaller:PermitLimit"] = "1",
            ["Modular:ForwardedHeaders:KnownProxies:0"] = "10.9.9.9",
        });

        using var anonymous = host.AnonymousClient();

        await Problems.AssertAsync(await anonymous.SendAsync(From("203.0.113.1")), HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(await anonymous.SendAsync(From("203.0.113.2")), HttpStatusCode.TooManyRequests);
    }

    private static HttpRequestMessage PlaceOrder() =>
        new(HttpMethod.Post, "/api/orders") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };

    private static HttpRequestMessage Products(string? subject)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
        request.Headers.Authorization = subject is null ? null : TestIdentity.Bearer(subject, Roles.Customer);
        return request;
    }

    private static HttpRequestMessage From(string client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
        request.Headers.Add("X-Forwarded-For", client);
        return request;
    }
}
