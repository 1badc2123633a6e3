using Modular.BuildingBlocks.Modules;

namespace Modular.ArchitectureTests.Rules;

/// <summary>
/// Rule: only the Host composes modules, so only the Host references a module's project; modules and the Host
/// may reference Contracts projects. Checked on the project files, where a reference is added before any code uses it.
/// </summary>
public static class ProjectReferences
{
    public static IReadOnlyList<string> Violations(IReadOnlyCollection<string> projectFiles, Func<string, bool> isHost, IReadOnlyList<IModule> catalog)
    {
        var moduleProjects = catalog.Select(m => m.Assembly.Name()).ToHashSet(StringComparer.Ordinal);
        var contractsProjects = catalog.Select(m => m.ContractsAssembly.Name()).ToHashSet(StringComparer.Ordinal);
        var violations = new List<string>();

        foreach (var file in projectFiles.Where(f => !isHost(f)))
        {
            var project = Path.GetFileNameWithoutExtension(file);
            foreach (var referenced in Solution.ReferencedProjects(file))
            {
                if (moduleProjects.Contains(referenced))
                {
                    violations.Add($"{project} references module project {referenced}; only the Host may, others use its Contracts");
                }
                else if (contractsProjects.Contains(referenced) && !moduleProjects.Contains(project))
                {
                    violations.Add($"{project} references contracts project {referenced}; only modules and the Host may");
                }
            }
        }

        return violations;
    }
}
