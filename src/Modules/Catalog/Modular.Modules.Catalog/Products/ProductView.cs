namespace Modular.Modules.Catalog.Products;

/// <summary>What the HTTP API shows of a product.</summary>
public sealed record ProductView(string Sku, string Name, string Description, decimal Price, string Currency, ProductStatus Status)
{
    public static ProductView From(Product product) =>
        new(product.Sku, product.Name, product.Description, product.Price.Amount, product.Price.Currency, product.Status);

    public static string UrlFor(string sku) => $"/api/v1/catalog/products/{Uri.EscapeDataString(sku)}";
}
