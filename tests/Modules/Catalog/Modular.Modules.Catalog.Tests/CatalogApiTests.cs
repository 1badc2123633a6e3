using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Modular.Testing;
using Modular.Modules.Catalog.Contracts;
using Wolverine.Tracking;

namespace Modular.Modules.Catalog.Tests;

public sealed class CatalogApiTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private static string NewSku(string prefix = "SKU") => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}".ToUpperInvariant();

    [Fact]
    public async Task Adding_a_product_answers_201_with_its_location_and_publishes_ProductAdded()
    {
        var sku = NewSku();

        var (response, tracked) = await catalog.TrackAsync(_ => catalog.AddAsync(sku.ToLowerInvariant(), "Blue mug", 12.50m, "EUR"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/catalog/products/{sku}", response.Headers.Location?.OriginalString);
        var added = tracked.Executed.SingleMessage<ProductAdded>();
        Assert.Equal((sku, "Blue mug", 12.50m, "EUR"), (added.Sku, added.Name, added.Price, added.Currency));

        var product = await catalog.Client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal(sku, product.GetProperty("sku").GetString());
        Assert.Equal(12.50m, product.GetProperty("price").GetDecimal());
        Assert.Equal("Active", product.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Adding_a_product_with_invalid_fields_answers_400_naming_each_field()
    {
        var response = await catalog.Client.PostAsJsonAsync("/api/catalog/products",
            new { sku = "!", name = "", description = new string('x', 2001), price = -1m, currency = "eur" });

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["Currency", "Description", "Name", "Price", "Sku"], errors);
    }

    [Fact]
    public async Task Adding_a_price_with_more_than_two_decimals_is_rejected()
    {
        var response = await catalog.AddAsync(NewSku(), price: 1.999m);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Price", out _));
    }

    [Fact]
    public async Task Adding_a_SKU_already_in_the_catalog_answers_409_whatever_its_case()
    {
        var sku = NewSku();
        Assert.Equal(HttpStatusCode.Created, (await catalog.AddAsync(sku)).StatusCode);

        var (response, tracked) = await catalog.TrackAsync(_ => catalog.AddAsync(sku.ToLowerInvariant()));

        await Problems.AssertAsync(response, HttpStatusCode.Conflict);
        Assert.Empty(tracked.Sent.MessagesOf<ProductAdded>());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_answers_400_problem_details()
    {
        var response = await catalog.Client.PostAsync("/api/catalog/products",
            new StringContent("{\"sku\":", Encoding.UTF8, "application/json"));

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Getting_an_unknown_product_answers_404_problem_details()
    {
        var response = await catalog.Client.GetAsync($"/api/catalog/products/{NewSku("NONE")}");

        var problem = await Problems.AssertAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("No such product.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Searching_returns_the_requested_page_of_matches_with_their_total()
    {
        var prefix = NewSku("SRCH");
        foreach (var i in Enumerable.Range(1, 5))
        {
            Assert.Equal(HttpStatusCode.Created, (await catalog.AddAsync($"{prefix}-{i}", $"Teapot {prefix} no {i}")).StatusCode);
        }

        var page = await catalog.Client.GetFromJsonAsync<JsonElement>($"/api/catalog/products?search={prefix.ToLowerInvariant()}&page=2&pageSize=2");

        Assert.Equal(5, page.GetProperty("totalCount").GetInt64());
        var skus = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!).ToArray();
        Assert.Equal([$"{prefix}-3", $"{prefix}-4"], skus);
    }

    [Fact]
    public async Task Searching_matches_names_regardless_of_case()
    {
        var sku = NewSku();
        var name = $"Kettle {Guid.NewGuid():N}";
        await catalog.AddAsync(sku, name);

        var page = await catalog.Client.GetFromJsonAsync<JsonElement>($"/api/catalog/products?search={name.ToUpperInvariant()}");

        Assert.Equal(sku, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("sku").GetString());
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("pageSize=101")]
    [InlineData("page=abc")]
    public async Task Searching_with_an_invalid_page_answers_400(string query)
    {
        var response = await catalog.Client.GetAsync($"/api/catalog/products?{query}");

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Changing_a_price_stores_it_and_publishes_ProductPriceChanged_once()
    {
        var sku = NewSku();
        await catalog.AddAsync(sku, price: 10m, currency: "EUR");

        var (response, tracked) = await catalog.TrackAsync(c => c.PutAsJsonAsync($"/api/catalog/products/{sku}/price", new { price = 11.25m, currency = "USD" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var changed = tracked.Executed.SingleMessage<ProductPriceChanged>();
        Assert.Equal((10m, "EUR", 11.25m, "USD"), (changed.PreviousPrice, changed.PreviousCurrency, changed.Price, changed.Currency));
        var product = await catalog.Client.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{sku}");
        Assert.Equal(11.25m, product.GetProperty("price").GetDecimal());

        var (again, trackedAgain) = await catalog.TrackAsync(c => c.PutAsJsonAsync($"/api/catalog/products/{sku}/price", new { price = 11.25m, currency = "USD" }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Empty(trackedAgain.Sent.MessagesOf<ProductPriceChanged>());
    }

    [Fact]
    public async Task Changing_a_price_to_an_invalid_one_answers_400()
    {
        var sku = NewSku();
        await catalog.AddAsync(sku);

        var response = await catalog.Client.PutAsJsonAsync($"/api/catalog/products/{sku}/price", new { price = 0m, currency = "XX" });

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Currency", "Price"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray());
    }

    [Fact]
    public async Task Changing_the_price_of_an_unknown_product_answers_404()
    {
        var response = await catalog.Client.PutAsJsonAsync($"/api/catalog/products/{NewSku("NONE")}/price", new { price = 1m, currency = "EUR" });

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Discontinuing_publishes_ProductDiscontinued_once_and_freezes_the_price()
    {
        var sku = NewSku();
        await catalog.AddAsync(sku);

        var (response, tracked) = await catalog.TrackAsync(c => c.PostAsync($"/api/catalog/products/{sku}/discontinue", null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(sku, tracked.Executed.SingleMessage<ProductDiscontinued>().Sku);
        var product = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Discontinued", product.GetProperty("status").GetString());

        var (again, trackedAgain) = await catalog.TrackAsync(c => c.PostAsync($"/api/catalog/products/{sku}/discontinue", null));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Empty(trackedAgain.Sent.MessagesOf<ProductDiscontinued>());

        var priceChange = await catalog.Client.PutAsJsonAsync($"/api/catalog/products/{sku}/price", new { price = 1m, currency = "EUR" });
        await Problems.AssertAsync(priceChange, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Discontinuing_an_unknown_product_answers_404()
    {
        var response = await catalog.Client.PostAsync($"/api/catalog/products/{NewSku("NONE")}/discontinue", null);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }
}
