namespace Modular.Modules.Catalog.Contracts;

/// <summary>A product can no longer be ordered. Discontinuing is final.</summary>
public sealed record ProductDiscontinued(string Sku, DateTimeOffset DiscontinuedAt);
