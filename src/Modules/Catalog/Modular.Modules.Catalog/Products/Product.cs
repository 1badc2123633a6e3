using System.Text.Json.Serialization;
using Modular.BuildingBlocks.Domain;
using Modular.Modules.Catalog.Contracts;

namespace Modular.Modules.Catalog.Products;

public enum ProductStatus
{
    Active,
    Discontinued,
}

/// <summary>A sellable product. Its decisions return the event that records them; the caller stores both.</summary>
public sealed class Product
{
    [JsonConstructor]
    private Product(string sku, string name, string description, Money price, ProductStatus status)
    {
        Sku = sku;
        Name = name;
        Description = description;
        Price = price;
        Status = status;
    }

    /// <summary>The identity, upper-cased so that <c>abc-1</c> and <c>ABC-1</c> are one product.</summary>
    public string Sku { get; }

    public string Name { get; }

    public string Description { get; }

    [JsonInclude]
    public Money Price { get; private set; }

    [JsonInclude]
    public ProductStatus Status { get; private set; }


    public static (Product Product, ProductAdded Added) Add(string sku, string name, string? description, Money price, DateTimeOffset now)
    {
        var product = new Product(BuildingBlocks.Domain.Sku.Normalize(sku), name.Trim(), description?.Trim() ?? string.Empty, price, ProductStatus.Active);
        return (product, new ProductAdded(product.Sku, product.Name, product.Description, price.Amount, price.Currency, now));
    }

    /// <summary>Null when the price is already <paramref name="price"/>: setting it again changes nothing.</summary>
    public ProductPriceChanged? ChangePrice(Money price, DateTimeOffset now)
    {
        if (Status == ProductStatus.Discontinued)
        {
            throw new InvalidOperationException($"Product {Sku} is discontinued; its price can no longer change.");
        }

        if (Price == price)
        {
            return null;
        }

        var previous = Price;
        Price = price;
        return new ProductPriceChanged(Sku, previous.Amount, previous.Currency, price.Amount, price.Currency, now);
    }

    /// <summary>Null when already discontinued: discontinuing twice publishes nothing twice.</summary>
    public ProductDiscontinued? Discontinue(DateTimeOffset now)
    {
        if (Status == ProductStatus.Discontinued)
        {
            return null;
        }

        Status = ProductStatus.Discontinued;
        return new ProductDiscontinued(Sku, now);
    }
}
