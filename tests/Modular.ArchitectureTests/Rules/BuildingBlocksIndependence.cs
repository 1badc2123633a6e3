using System.Reflection;
using Modular.BuildingBlocks.Modules;
using NetArchTest.Rules;

namespace Modular.ArchitectureTests.Rules;

/// <summary>Rule: the building blocks serve every module and know none of them, not even their contracts.</summary>
public static class BuildingBlocksIndependence
{
    private const string ModuleAssemblyPrefix = "Modular.Modules.";

    public static IReadOnlyList<string> Violations(Assembly buildingBlocks, IReadOnlyList<IModule> catalog)
    {
        var moduleAssemblies = catalog.SelectMany(m => new[] { m.Assembly.Name(), m.ContractsAssembly.Name() }).ToHashSet(StringComparer.Ordinal);
        var violations = buildingBlocks.ReferencedNames()
            .Where(r => moduleAssemblies.Contains(r) || r.StartsWith(ModuleAssemblyPrefix, StringComparison.Ordinal))
            .Select(r => $"{buildingBlocks.Name()} references module assembly {r}; building blocks know no module")
            .ToList();

        foreach (var module in catalog)
        {
            // Full type names, not the namespace Modular.Modules: NetArchTest also counts a string constant that
            // starts with a dependency name, and the log enricher rightly holds "Modular.Modules." to parse log sources.
            var moduleTypes = new[] { module.Assembly, module.ContractsAssembly }
                .SelectMany(a => a.GetExportedTypes()).Where(t => !t.IsNested).Select(t => t.FullName!).ToArray();
            var offenders = Types.InAssembly(buildingBlocks).Should().NotHaveDependencyOnAny(moduleTypes).GetResult().FailingTypeNames ?? [];
            violations.AddRange(offenders.Select(type => $"{type} uses types of module {module.Name}; building blocks know no module"));
        }

        return violations;
    }
}
