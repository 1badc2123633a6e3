using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.BuildingBlocks.Security;
using Modular.Testing;

namespace Modular.Modules.Ordering.Tests;

/// <summary>How placing an order refuses what it cannot take, each time with problem details that name the cause.</summary>
public sealed class PlaceOrderApiTests(OrderingHost ordering) : IClassFixture<OrderingHost>
{
    [Fact]
    public async Task An_order_without_an_Idempotency_Key_answers_400_naming_the_header()
    {
        var sku = await ordering.ProductAsync(price: 1m);

        var response = await ordering.Client.SendAsync(OrderingHost.PlaceRequest(Body(sku), idempotencyKey: null));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task Requests_racing_with_one_Idempotency_Key_place_one_order()
    {
        var sku = await ordering.ProductAsync(price: 1m);
        var customer = $"racer-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        var body = new { lines = new[] { new { sku, quantity = 1 } }, paymentToken = "tok_visa" };
        using var client = ordering.Host.ClientAs(customer, Roles.Customer);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SendAsync(OrderingHost.PlaceRequest(body, key))));

        // A request that loses the race learns that the key is taken (409) and, retried, gets the order (202).
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.Conflict }));
        Assert.Single(responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).Select(r => r.Headers.Location).Distinct());
        var retried = await client.SendAsync(OrderingHost.PlaceRequest(body, key));
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        var orders = await ordering.Client.GetFromJsonAsync<JsonElement>($"/api/orders?customerId={customer}");
        Assert.Equal(1, orders.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task An_invalid_order_answers_400_naming_each_invalid_field()
    {
        var response = await ordering.Client.SendAsync(OrderingHost.PlaceRequest(
            new { lines = new[] { new { sku = "", quantity = 0 } }, paymentToken = "" }, Guid.NewGuid().ToString()));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["Lines[0].Quantity", "Lines[0].Sku", "PaymentToken"], fields);
    }

    [Fact]
    public async Task An_order_naming_a_SKU_twice_answers_400()
    {
        var sku = await ordering.ProductAsync(price: 1m);

        var response = await ordering.Client.SendAsync(OrderingHost.PlaceRequest(
            new { lines = new[] { new { sku, quantity = 1 }, new { sku = sku.ToLowerInvariant(), quantity = 1 } }, paymentToken = "t" },
            Guid.NewGuid().ToString()));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Lines", out _));
    }

    [Fact]
    public async Task An_order_for_a_SKU_the_catalog_does_not_sell_answers_422_naming_the_line()
    {
        var known = await ordering.ProductAsync(price: 1m);

        var response = await ordering.Client.SendAsync(OrderingHost.PlaceRequest(
            new { lines = new[] { new { sku = known, quantity = 1 }, new { sku = "NOT-SOLD", quantity = 1 } }, paymentToken = "t" },
            Guid.NewGuid().ToString()));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("SKU NOT-SOLD is not in the catalog.", problem.GetProperty("errors").GetProperty("Lines[1].Sku")[0].GetString());
    }

    [Fact]
    public async Task An_order_mixing_currencies_answers_422()
    {
        var euro = await ordering.ProductAsync(price: 1m, currency: "EUR");
        var dollar = await ordering.ProductAsync(price: 1m, currency: "USD");

        var response = await ordering.Client.SendAsync(OrderingHost.PlaceRequest(
            new { lines = new[] { new { sku = euro, quantity = 1 }, new { sku = dollar, quantity = 1 } }, paymentToken = "t" },
            Guid.NewGuid().ToString()));

        await Problems.AssertAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task An_unknown_order_answers_404_and_so_does_cancelling_it()
    {
        var get = await ordering.Client.GetAsync($"/api/orders/{Guid.NewGuid()}");
        var cancel = await ordering.Client.PostAsync($"/api/orders/{Guid.NewGuid()}/cancel", null);

        await Problems.AssertAsync(get, HttpStatusCode.NotFound);
        await Problems.AssertAsync(cancel, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("pageSize=500")]
    [InlineData("status=Lost")]
    public async Task Listing_with_an_invalid_query_answers_400(string query)
    {
        await Problems.AssertAsync(await ordering.Client.GetAsync($"/api/orders?{query}"), HttpStatusCode.BadRequest);
    }

    private static object Body(string sku) => new { lines = new[] { new { sku, quantity = 1 } }, paymentToken = "tok_visa" };
}
