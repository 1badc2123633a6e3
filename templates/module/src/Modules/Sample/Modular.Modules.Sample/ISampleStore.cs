using Marten;

namespace Modular.Modules.Sample;

/// <summary>The Sample module's own Marten store: schema <c>sample</c>.</summary>
public interface ISampleStore : IDocumentStore;
