using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;

namespace Modular.ArchitectureTests.Rules;

/// <summary>
/// Rule: a module is known by one unique name, and its tables live in a schema named after it that no other
/// module, and no shared infrastructure, writes to.
/// </summary>
public static class CatalogNaming
{
    private static readonly string[] ReservedSchemas = [MessagingDefaults.EnvelopeSchema, "public"];

    public static IReadOnlyList<string> Violations(IReadOnlyList<IModule> catalog)
    {
        var violations = new List<string>();

        violations.AddRange(catalog.Where(m => !string.Equals(m.Schema, m.Name.ToLowerInvariant(), StringComparison.Ordinal))
            .Select(m => $"Module {m.Name} uses schema '{m.Schema}'; its schema is its lower-case name '{m.Name.ToLowerInvariant()}'"));

        violations.AddRange(catalog.Where(m => ReservedSchemas.Contains(m.Schema) || m.Schema.StartsWith(MessagingDefaults.EnvelopeSchema, StringComparison.Ordinal))
            .Select(m => $"Module {m.Name} uses schema '{m.Schema}', which belongs to the platform"));

        // Case-insensitive like configuration, which selects hosted modules by name.
        violations.AddRange(catalog.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"Module name '{g.Key}' appears {g.Count()} times in the catalog"));

        violations.AddRange(catalog.GroupBy(m => m.Schema, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"Schema '{g.Key}' is used by modules {string.Join(", ", g.Select(m => m.Name))}"));

        return violations;
    }
}
