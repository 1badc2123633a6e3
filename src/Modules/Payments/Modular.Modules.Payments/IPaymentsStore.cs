using Marten;

namespace Modular.Modules.Payments;

/// <summary>The Payments module's own Marten store: schema <c>payments</c>.</summary>
public interface IPaymentsStore : IDocumentStore;
