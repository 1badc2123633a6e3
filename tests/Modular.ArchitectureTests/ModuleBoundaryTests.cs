using Modular.ArchitectureTests.Rules;
using Modular.BuildingBlocks.Modules;
using Modular.Host;

namespace Modular.ArchitectureTests;

/// <summary>The boundary rules, over every module of the catalog and every project under src/.</summary>
public sealed class ModuleBoundaryTests
{
    [Theory]
    [MemberData(nameof(CatalogModules.Names), MemberType = typeof(CatalogModules))]
    public void Modules_reference_no_other_module_except_its_contracts(string module) =>
        Violations.AssertNone(ModuleIsolation.Violations(CatalogModules.Named(module), ModuleCatalog.All));

    [Theory]
    [MemberData(nameof(CatalogModules.Names), MemberType = typeof(CatalogModules))]
    public void Contracts_are_sealed_records_that_reference_only_the_bcl(string module)
    {
        var contracts = CatalogModules.Named(module).ContractsAssembly;
        Violations.AssertNone(ContractsPurity.Violations(contracts, Solution.ProjectFileOf(contracts)));
    }

    [Fact]
    public void Building_blocks_reference_no_module() =>
        Violations.AssertNone(BuildingBlocksIndependence.Violations(typeof(IModule).Assembly, ModuleCatalog.All));

    [Fact]
    public void Only_the_host_references_module_projects() =>
        Violations.AssertNone(ProjectReferences.Violations(Solution.ProjectFiles("src"), Solution.IsHostProject, ModuleCatalog.All));

    [Theory]
    [MemberData(nameof(CatalogModules.Names), MemberType = typeof(CatalogModules))]
    public void Module_projects_reference_no_other_module_project(string module)
    {
        var project = Solution.ProjectFileOf(CatalogModules.Named(module).Assembly);
        Violations.AssertNone(ProjectReferences.Violations([project], Solution.IsHostProject, ModuleCatalog.All));
    }

    [Theory]
    [MemberData(nameof(CatalogModules.Names), MemberType = typeof(CatalogModules))]
    public void Handlers_and_endpoints_are_public_static_classes_that_return_their_effects(string module) =>
        Violations.AssertNone(EntryPointShape.Violations(CatalogModules.Named(module).Assembly));

    [Fact]
    public void Module_names_are_unique_and_each_schema_is_its_modules_lower_case_name() =>
        Violations.AssertNone(CatalogNaming.Violations(ModuleCatalog.All));
}
