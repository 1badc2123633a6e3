using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Testing;

namespace Modular.Modules.Inventory.Tests;

public sealed class StockApiTests(InventoryHost inventory) : IClassFixture<InventoryHost>
{
    [Fact]
    public async Task Receiving_stock_adds_to_what_is_on_hand()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 3);

        var response = await inventory.Client.ReceiveStockAsync(sku.ToLowerInvariant(), 4);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stock = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((7, 7), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("available").GetInt32()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Receiving_a_quantity_that_is_not_positive_answers_400_naming_it(int quantity)
    {
        var sku = await inventory.StockedSkuAsync(onHand: 0);

        var response = await inventory.Client.ReceiveStockAsync(sku, quantity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Quantity", out _));
    }

    [Fact]
    public async Task Stock_of_a_SKU_the_catalog_never_announced_answers_404_problem_details()
    {
        var receipt = await inventory.Client.ReceiveStockAsync("NEVER-HEARD", 1);
        var get = await inventory.Client.GetAsync("/api/inventory/stock/NEVER-HEARD");

        Assert.Equal(HttpStatusCode.NotFound, receipt.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_receipt_retried_with_its_Idempotency_Key_is_received_once_and_the_key_cannot_be_reused_for_another()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 2);
        var key = Guid.NewGuid().ToString();

        var first = await inventory.Client.ReceiveStockAsync(sku, 5, key);
        var retried = await inventory.Client.ReceiveStockAsync(sku, 5, key);
        var reused = await inventory.Client.ReceiveStockAsync(sku, 6, key);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict), (first.StatusCode, retried.StatusCode, reused.StatusCode));
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        var stock = await inventory.Client.GetFromJsonAsync<JsonElement>($"/api/inventory/stock/{sku}");
        Assert.Equal(7, stock.GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task A_receipt_without_an_Idempotency_Key_answers_400_naming_the_header_and_receives_nothing()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 1);

        var response = await inventory.Client.PostAsJsonAsync($"/api/inventory/stock/{sku}/receipts", new { quantity = 3 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        var stock = await inventory.Client.GetFromJsonAsync<JsonElement>($"/api/inventory/stock/{sku}");
        Assert.Equal(1, stock.GetProperty("onHand").GetInt32());
    }
}
