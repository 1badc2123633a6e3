using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Modular.BuildingBlocks.Domain;
using Modular.Modules.Catalog.Contracts;
using Modular.Modules.Catalog.Products;
using Modular.Testing;
using Wolverine.Marten;

namespace Modular.Modules.Catalog.Tests;

/// <summary>The handlers are pure functions: given input and the clock, they return the response and their effects.</summary>
public sealed class ProductDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);
    private static readonly TimeProvider Clock = new FixedClock(Now);

    [Fact]
    public void Adding_a_product_returns_201_the_event_and_the_insert()
    {
        var (created, added, op) = AddProductEndpoint.Post(new AddProduct(" abc-1 ", " Mug ", null, 4.5m, "EUR"), Clock);

        Assert.Equal("/api/v1/catalog/products/ABC-1", created.Location);
        Assert.Equal(new ProductAdded("ABC-1", "Mug", "", 4.5m, "EUR", Now), added);
        var insert = Assert.IsType<InsertDoc<Product>>(op);
        Assert.Equal("ABC-1", Assert.IsType<Product>(insert.Document).Sku);
    }

    [Fact]
    public void Changing_to_a_new_price_returns_the_change_with_the_previous_price()
    {
        var product = NewProduct(new Money(10m, "EUR"));

        var (view, changed, op) = ChangePriceEndpoint.Put(new ChangePrice(12m, "EUR"), product, Clock);

        Assert.Equal(new ProductPriceChanged("P-1", 10m, "EUR", 12m, "EUR", Now), changed);
        Assert.Equal(12m, view.Price);
        Assert.IsType<StoreDoc<Product>>(op);
    }

    [Fact]
    public void Setting_the_price_a_product_already_has_changes_nothing()
    {
        var product = NewProduct(new Money(10m, "EUR"));

        var (_, changed, op) = ChangePriceEndpoint.Put(new ChangePrice(10.00m, "EUR"), product, Clock);

        Assert.Null(changed);
        Assert.IsNotType<StoreDoc<Product>>(op);
    }

    [Fact]
    public void Discontinuing_twice_records_one_discontinuation()
    {
        var product = NewProduct(new Money(10m, "EUR"));

        var (_, first, _) = DiscontinueProductEndpoint.Post(product, Clock);
        var (view, second, op) = DiscontinueProductEndpoint.Post(product, Clock);

        Assert.Equal(new ProductDiscontinued("P-1", Now), first);
        Assert.Null(second);
        Assert.IsNotType<StoreDoc<Product>>(op);
        Assert.Equal(ProductStatus.Discontinued, view.Status);
    }

    [Fact]
    public void A_discontinued_product_refuses_a_price_change()
    {
        var product = NewProduct(new Money(10m, "EUR"));
        product.Discontinue(Now);

        Assert.Throws<InvalidOperationException>(() => product.ChangePrice(new Money(1m, "EUR"), Now));
        Assert.Equal(StatusCodes.Status409Conflict, ChangePriceEndpoint.Validate(product, "p-1").Status);
    }

    [Theory]
    [InlineData("A", "Name", 1, "EUR", "Sku")]
    [InlineData("OK-1", "", 1, "EUR", "Name")]
    [InlineData("OK-1", "Name", 0, "EUR", "Price")]
    [InlineData("OK-1", "Name", 1.005, "EUR", "Price")]
    [InlineData("OK-1", "Name", 1, "ABC", "Currency")]
    [InlineData("OK-1", "Name", 1, "usd", "Currency")]
    public void An_invalid_product_names_the_invalid_field(string sku, string name, decimal price, string currency, string field)
    {
        var result = new AddProduct.Validator().Validate(new AddProduct(sku, name, null, price, currency));

        Assert.Equal([field], result.Errors.Select(e => e.PropertyName).Distinct());
    }

    private static Product NewProduct(Money price) => Product.Add("p-1", "Plate", null, price, Now).Product;
}
