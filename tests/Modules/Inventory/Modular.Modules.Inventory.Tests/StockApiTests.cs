using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Modular.Modules.Inventory.Tests;

public sealed class StockApiTests(InventoryHost inventory) : IClassFixture<InventoryHost>
{
    [Fact]
    public async Task Receiving_stock_adds_to_what_is_on_hand()
    {
        var sku = await inventory.StockedSkuAsync(onHand: 3);

        var response = await inventory.Client.PostAsJsonAsync($"/api/inventory/stock/{sku.ToLowerInvariant()}/receipts", new { quantity = 4 });

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

        var response = await inventory.Client.PostAsJsonAsync($"/api/inventory/stock/{sku}/receipts", new { quantity });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Quantity", out _));
    }

    [Fact]
    public async Task Stock_of_a_SKU_the_catalog_never_announced_answers_404_problem_details()
    {
        var receipt = await inventory.Client.PostAsJsonAsync("/api/inventory/stock/NEVER-HEARD/receipts", new { quantity = 1 });
        var get = await inventory.Client.GetAsync("/api/inventory/stock/NEVER-HEARD");

        Assert.Equal(HttpStatusCode.NotFound, receipt.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType?.MediaType);
    }
}
