using Marten;

namespace Modular.Modules.Catalog;

/// <summary>The Catalog module's own Marten store: schema <c>catalog</c>.</summary>
public interface ICatalogStore : IDocumentStore;
