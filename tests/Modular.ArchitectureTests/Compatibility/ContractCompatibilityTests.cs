using Modular.Host;
using Modular.Testing;
using Modular.Testing.Compatibility;

namespace Modular.ArchitectureTests.Compatibility;

/// <summary>
/// Each module's Contracts assembly against its snapshot in docs/contracts: a change another process would not
/// understand fails the build, naming what broke; an added message or field passes and is written to the snapshot, to
/// be committed with it. Accepting a break rewrites the snapshot: <c>MODULAR_ACCEPT_CONTRACTS=1</c> on this test.
/// </summary>
public sealed class ContractCompatibilityTests
{
    [Theory]
    [MemberData(nameof(CatalogModules.Names), MemberType = typeof(CatalogModules))]
    public void A_modules_contracts_keep_every_message_and_field_of_their_snapshot(string module)
    {
        var current = ContractShape.Of(CatalogModules.Named(module).ContractsAssembly);

        Snapshots.AssertCompatible(SnapshotPath(module), Header(module), current, ContractShape.BreakingChanges,
            $"{module}'s contracts changed in a way consumers in other processes would not understand", "Evolve the message instead (docs/adr/0034)");
    }

    [Fact]
    public void A_removed_field_a_retyped_field_and_a_renamed_message_are_each_named()
    {
        var before = Shape.Parse("""
            Shop.Contracts.OrderPlaced
              OrderId: System.Guid
              Total: System.Decimal
              Note: System.String?
            Shop.Contracts.OrderShipped
              OrderId: System.Guid
            """);
        var after = Shape.Parse("""
            Shop.Contracts.OrderPlaced
              OrderId: System.Guid
              Total: System.Double
            Shop.Contracts.OrderDispatched
              OrderId: System.Guid
            """);

        var breaking = ContractShape.BreakingChanges(after, before);

        Assert.Equal(3, breaking.Count);
        Assert.Contains(breaking, b => b.StartsWith("Shop.Contracts.OrderPlaced.Total was System.Decimal, is now System.Double", StringComparison.Ordinal));
        Assert.Contains(breaking, b => b.StartsWith("Shop.Contracts.OrderPlaced.Note was removed", StringComparison.Ordinal));
        Assert.Contains(breaking, b => b.StartsWith("Shop.Contracts.OrderShipped was removed, renamed or moved", StringComparison.Ordinal));
    }

    [Fact]
    public void An_added_message_and_an_added_field_are_not_breaking()
    {
        var before = Shape.Parse("""
            Shop.Contracts.OrderPlaced
              OrderId: System.Guid
            """);
        var after = Shape.Parse("""
            Shop.Contracts.OrderPlaced
              OrderId: System.Guid
              Channel: System.String?
            Shop.Contracts.OrderShipped
              OrderId: System.Guid
            """);

        Assert.Empty(ContractShape.BreakingChanges(after, before));
    }

    [Fact]
    public void A_snapshot_reads_back_as_the_shape_it_was_written_from()
    {
        var shape = ContractShape.Of(typeof(Modules.Inventory.Contracts.ReserveStock).Assembly);

        var read = Shape.Parse(shape.ToText());

        Assert.Equal(shape.ToText(), read.ToText());
        Assert.Empty(ContractShape.BreakingChanges(read, shape));
        Assert.Contains(typeof(Modules.Inventory.Contracts.ReserveStock).FullName!, read.Entries.Keys);
    }

    private static string SnapshotPath(string module) =>
        Path.Combine(ReleaseHost.RepositoryRoot(), "docs", "contracts", $"{module}.txt");

    private static string Header(string module) =>
        $"# {module}'s public contracts as other processes see them: type (message identity), then field: type.\n"
        + "# Checked by tests/Modular.ArchitectureTests/Compatibility/ContractCompatibilityTests.cs; see docs/adr/0034.\n";
}
