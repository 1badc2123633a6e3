using System.Reflection;

namespace Modular.ArchitectureTests.Rules;

/// <summary>
/// Rule: a Contracts assembly is sealed records on the BCL alone, so that another module, or another process
/// after extraction, can take it without taking this module's dependencies.
/// </summary>
public static class ContractsPurity
{
    private static readonly string[] ReferenceItems = ["PackageReference", "ProjectReference", "FrameworkReference"];

    public static IReadOnlyList<string> Violations(Assembly contracts, string projectFile)
    {
        var name = contracts.Name();
        var violations = new List<string>();

        violations.AddRange(contracts.ReferencedNames().Where(r => !IsBcl(r))
            .Select(r => $"{name} references assembly {r}; contracts reference only the BCL"));

        foreach (var item in ReferenceItems)
        {
            violations.AddRange(Solution.Items(projectFile, item)
                .Select(include => $"{Solution.RelativePath(projectFile)} has a {item} to {include}; contracts reference only the BCL"));
        }

        foreach (var type in contracts.DeclaredTypes())
        {
            if (!type.IsVisible || !type.IsSealed || type.GetMethod("<Clone>$") is null)
            {
                violations.Add($"{type.FullName} is not a public sealed record; contracts are immutable messages with nothing to inherit");
            }

            if (type.Namespace != name && type.Namespace?.StartsWith(name + ".", StringComparison.Ordinal) != true)
            {
                violations.Add($"{type.FullName} is outside the namespace {name}; a contract's namespace is part of its wire identity");
            }
        }

        return violations;
    }

    private static bool IsBcl(string assemblyName) =>
        assemblyName.StartsWith("System", StringComparison.Ordinal)
        || assemblyName.StartsWith("Microsoft.Win32", StringComparison.Ordinal)
        || assemblyName is "netstandard" or "mscorlib";
}
