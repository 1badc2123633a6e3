using Modular.ArchitectureTests.Rules;
using Modular.BuildingBlocks.Modules;
using Modular.Host;
using Modular.Modules.Catalog;
using Modular.Modules.Rogue;
using Modular.Modules.Rogue.Contracts;

namespace Modular.ArchitectureTests;

/// <summary>
/// Each rule run against the deliberately bad fixtures (tests/ArchitectureFixtures), so that none can rot into a
/// check that passes whatever the code does.
/// </summary>
public sealed class RulesCatchViolationsTests
{
    private static readonly IModule Rogue = new RogueModule();

    private static IReadOnlyList<IModule> CatalogWithRogue => [.. ModuleCatalog.All, Rogue];

    [Fact]
    public void Module_isolation_reports_a_module_that_uses_another_modules_internals()
    {
        var violations = ModuleIsolation.Violations(Rogue, CatalogWithRogue);

        Violations.AssertReported(violations,
            "Modular.Modules.Rogue references assembly Modular.Modules.Catalog of module Catalog",
            "Modular.Modules.Rogue.ProductPeek uses types of module Catalog");
        Assert.DoesNotContain(violations, v => v.Contains(nameof(LawfulCatalogReader), StringComparison.Ordinal));
    }

    [Fact]
    public void Contracts_purity_reports_dependencies_classes_and_foreign_namespaces()
    {
        var contracts = typeof(RogueThing).Assembly;
        var violations = ContractsPurity.Violations(contracts, Solution.ProjectFileOf(contracts));

        Violations.AssertReported(violations,
            "Modular.Modules.Rogue.Contracts references assembly Modular.BuildingBlocks",
            "Modular.Modules.Rogue.Contracts.csproj has a ProjectReference to",
            "Modular.Modules.Rogue.Contracts.RogueThing is not a public sealed record",
            "Modular.Modules.Catalog.Contracts.RogueImpersonation is outside the namespace Modular.Modules.Rogue.Contracts");
        Assert.DoesNotContain(violations, v => v.Contains($"{nameof(RoguePriced)} is not", StringComparison.Ordinal));
    }

    [Fact]
    public void Building_blocks_independence_reports_an_assembly_that_uses_a_module()
    {
        var violations = BuildingBlocksIndependence.Violations(typeof(RogueModule).Assembly, ModuleCatalog.All);

        Violations.AssertReported(violations,
            "references module assembly Modular.Modules.Catalog",
            "Modular.Modules.Rogue.ProductPeek uses types of module Catalog",
            "Modular.Modules.Rogue.LawfulCatalogReader uses types of module Catalog");
    }

    [Fact]
    public void Project_references_report_a_module_project_referenced_outside_the_host()
    {
        var fixtures = Solution.ProjectFiles("tests/ArchitectureFixtures");

        Violations.AssertReported(ProjectReferences.Violations(fixtures, isHost: _ => false, CatalogWithRogue),
            "Modular.Modules.Rogue references module project Modular.Modules.Catalog");
        Assert.Empty(ProjectReferences.Violations(fixtures, isHost: _ => true, CatalogWithRogue));
    }

    [Fact]
    public void Entry_point_shape_reports_instance_handlers_misnamed_endpoints_and_the_message_bus()
    {
        var violations = EntryPointShape.Violations(typeof(RogueModule).Assembly);

        Violations.AssertReported(violations,
            "Modular.Modules.Rogue.RogueThingHandler is a handler but not a public static class",
            "Modular.Modules.Rogue.RogueApi declares HTTP endpoints but is not a public static class",
            "Modular.Modules.Rogue.RogueApi declares HTTP endpoints but is not named *Endpoint",
            "Modular.Modules.Rogue.RogueThingHandler depends on Wolverine.IMessageBus");
    }

    [Fact]
    public void Catalog_naming_reports_borrowed_schemas_and_duplicate_names()
    {
        var violations = CatalogNaming.Violations([new CatalogModule(), Rogue, new CatalogModule()]);

        Violations.AssertReported(violations,
            "Module Rogue uses schema 'catalog'; its schema is its lower-case name 'rogue'",
            "Schema 'catalog' is used by modules Catalog, Rogue, Catalog",
            "Module name 'Catalog' appears 2 times");
    }

    [Fact]
    public void Data_boundary_reports_tables_outside_their_owners_schema()
    {
        ModuleTables[] modules = [new("Catalog", "catalog", ["mt_doc_product"])];
        (string, string)[] tables = [("catalog", "wolverine_incoming_envelopes"), ("public", "mt_doc_product"), ("wolverine", "mt_doc_product")];

        Violations.AssertReported(DataBoundary.Violations(tables, modules),
            "catalog.wolverine_incoming_envelopes is a Wolverine table outside the envelope schema",
            "catalog.wolverine_incoming_envelopes is in module Catalog's schema but is no Marten table",
            "public.mt_doc_product is in no module's schema",
            "catalog.mt_doc_product, a document table of module Catalog, is missing",
            "public.mt_doc_product, a document table of module Catalog, is outside its schema",
            "wolverine.mt_doc_product is in the envelope schema but is no Wolverine table");
    }

    [Fact]
    public void Data_boundary_lets_two_modules_each_own_a_document_table_of_the_same_name()
    {
        ModuleTables[] modules = [new("Catalog", "catalog", ["mt_doc_item"]), new("Ordering", "ordering", ["mt_doc_item"])];
        (string, string)[] tables = [("catalog", "mt_doc_item"), ("ordering", "mt_doc_item"), ("wolverine", "wolverine_incoming_envelopes")];

        Violations.AssertNone(DataBoundary.Violations(tables, modules));
    }
}
