using Marten;

namespace Modular.Modules.Shipping;

/// <summary>The Shipping module's own Marten store: schema <c>shipping</c>.</summary>
public interface IShippingStore : IDocumentStore;
