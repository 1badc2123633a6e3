namespace Modular.Modules.Rogue.Contracts;

/// <summary>Breaks the contracts rule: a message must be a sealed record, so that it is a value with no behaviour to inherit.</summary>
public class RogueThing
{
    public string Name { get; init; } = "";
}
