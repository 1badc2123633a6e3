namespace Modular.Modules.Sample.Contracts;

/// <summary>
/// An item was added. A public message of the Sample module: other modules may handle it, in any process. Evolve it by
/// addition only (docs/adr/0034); docs/contracts/Sample.txt holds its shape.
/// </summary>
public sealed record ItemAdded(Guid ItemId, string Name, DateTimeOffset AddedAt);
