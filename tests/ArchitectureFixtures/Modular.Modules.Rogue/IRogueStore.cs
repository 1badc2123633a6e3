using Marten;

namespace Modular.Modules.Rogue;

public interface IRogueStore : IDocumentStore;
