using Modular.BuildingBlocks.Domain;

namespace Modular.Modules.Rogue.Contracts;

/// <summary>
/// Breaks the contracts rule: <see cref="Money"/> drags Modular.BuildingBlocks, and with it Wolverine and Marten,
/// into every consumer of these contracts.
/// </summary>
public sealed record RoguePriced(string Sku, Money Price);
