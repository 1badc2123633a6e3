using Modular.BuildingBlocks.Modules;
using NetArchTest.Rules;

namespace Modular.ArchitectureTests.Rules;

/// <summary>Rule: a module depends on no other module except through that module's Contracts assembly.</summary>
public static class ModuleIsolation
{
    public static IReadOnlyList<string> Violations(IModule module, IReadOnlyList<IModule> catalog)
    {
        var violations = new List<string>();
        var referenced = module.Assembly.ReferencedNames();
        foreach (var other in catalog.Where(o => o.Assembly != module.Assembly))
        {
            var allowed = $"only {other.ContractsAssembly.Name()} may be used";
            if (referenced.Contains(other.Assembly.Name()))
            {
                violations.Add($"{module.Assembly.Name()} references assembly {other.Assembly.Name()} of module {other.Name}; {allowed}");
            }

            // Full type names, because NetArchTest matches a dependency by its leading name segments: the namespace
            // Modular.Modules.Catalog would also match Modular.Modules.Catalog.Contracts. Exported types only:
            // every assembly embeds its own internal compiler attributes under the same names.
            var internals = other.Assembly.GetExportedTypes().Where(t => !t.IsNested).Select(t => t.FullName!).ToArray();
            if (internals.Length == 0)
            {
                continue;
            }

            var offenders = Types.InAssembly(module.Assembly).Should().NotHaveDependencyOnAny(internals).GetResult().FailingTypeNames ?? [];
            violations.AddRange(offenders.Select(type => $"{type} uses types of module {other.Name} ({other.Assembly.Name()}); {allowed}"));
        }

        return violations;
    }
}
