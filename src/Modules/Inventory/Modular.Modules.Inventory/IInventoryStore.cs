using Marten;

namespace Modular.Modules.Inventory;

/// <summary>The Inventory module's own Marten store: schema <c>inventory</c>.</summary>
public interface IInventoryStore : IDocumentStore;
