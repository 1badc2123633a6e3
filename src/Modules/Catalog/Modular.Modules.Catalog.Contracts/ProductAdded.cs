namespace Modular.Modules.Catalog.Contracts;

/// <summary>A product entered the catalog and can be sold at <paramref name="Price"/>.</summary>
public sealed record ProductAdded(string Sku, string Name, string Description, decimal Price, string Currency, DateTimeOffset AddedAt);
