using System.Reflection;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Rogue.Contracts;

namespace Modular.Modules.Rogue;

/// <summary>
/// A module that breaks every boundary rule on purpose; the architecture tests run their rules against it to
/// show that each rule reports what it should. It is in no catalog and no host ever runs it.
/// </summary>
public sealed class RogueModule : Module<IRogueStore>
{
    public override string Name => "Rogue";

    /// <summary>Breaks the schema rule: another module's schema, not its own lower-case name.</summary>
    public override string Schema => "catalog";

    public override Assembly ContractsAssembly => typeof(RogueThing).Assembly;
}
