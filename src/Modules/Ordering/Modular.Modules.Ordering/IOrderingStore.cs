using Marten;

namespace Modular.Modules.Ordering;

/// <summary>The Ordering module's own Marten store: schema <c>ordering</c>, documents and the orders' event streams.</summary>
public interface IOrderingStore : IDocumentStore;
