// Breaks the contracts rule: a contract outside its assembly's root namespace claims another module's wire
// identity (here Catalog's).
namespace Modular.Modules.Catalog.Contracts;

public sealed record RogueImpersonation(string Sku);
