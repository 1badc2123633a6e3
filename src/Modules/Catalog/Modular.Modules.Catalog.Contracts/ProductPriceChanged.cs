namespace Modular.Modules.Catalog.Contracts;

/// <summary>A product's price changed; orders placed from now on use <paramref name="Price"/>.</summary>
public sealed record ProductPriceChanged(string Sku, decimal PreviousPrice, string PreviousCurrency, decimal Price, string Currency, DateTimeOffset ChangedAt);
