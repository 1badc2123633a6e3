using Modular.BuildingBlocks.Messaging;

namespace Modular.ArchitectureTests.Rules;

/// <summary>The schema a module owns and the Marten document tables its own documents need.</summary>
public sealed record ModuleTables(string Module, string Schema, IReadOnlyCollection<string> DocumentTables);

/// <summary>
/// Rule: every table in the database belongs to one module's schema (Marten tables only) or to a platform schema:
/// a process's envelope schema or the transport's queue schema (Wolverine's tables only), so a module's data can be
/// moved out with its schema and nothing else.
/// </summary>
public static class DataBoundary
{
    public static IReadOnlyList<string> Violations(IReadOnlyCollection<(string Schema, string Table)> tables, IReadOnlyList<ModuleTables> modules) =>
        Violations(tables, modules, [MessagingDefaults.EnvelopeSchema]);

    public static IReadOnlyList<string> Violations(
        IReadOnlyCollection<(string Schema, string Table)> tables, IReadOnlyList<ModuleTables> modules, IReadOnlyCollection<string> platformSchemas)
    {
        var platform = string.Join("', '", platformSchemas);
        // A lookup, not a dictionary: a schema shared by two modules is CatalogNaming's to report, not a crash here.
        var owners = modules.ToLookup(m => m.Schema, StringComparer.Ordinal);
        var violations = new List<string>();

        foreach (var (schema, table) in tables)
        {
            var name = $"{schema}.{table}";
            var isPlatformSchema = platformSchemas.Contains(schema);
            if (!isPlatformSchema && !owners.Contains(schema))
            {
                violations.Add($"{name} is in no module's schema and not in the envelope schema '{platform}'");
            }

            var isWolverineTable = table.StartsWith("wolverine_", StringComparison.Ordinal);
            if (isWolverineTable && !isPlatformSchema)
            {
                violations.Add($"{name} is a Wolverine table outside the envelope schema '{platform}'");
            }

            if (!isWolverineTable && isPlatformSchema)
            {
                violations.Add($"{name} is in the envelope schema but is no Wolverine table");
            }

            if (owners.Contains(schema) && !table.StartsWith("mt_", StringComparison.Ordinal))
            {
                violations.Add($"{name} is in module {string.Join(", ", owners[schema].Select(o => o.Module))}'s schema but is no Marten table");
            }
        }

        foreach (var module in modules)
        {
            foreach (var document in module.DocumentTables)
            {
                if (!tables.Contains((module.Schema, document)))
                {
                    violations.Add($"{module.Schema}.{document}, a document table of module {module.Module}, is missing");
                }

                // Two modules may each own a document table of the same name, each in its own schema.
                violations.AddRange(tables
                    .Where(t => t.Table == document && t.Schema != module.Schema
                                && !owners[t.Schema].Any(other => other.DocumentTables.Contains(document)))
                    .Select(t => $"{t.Schema}.{t.Table}, a document table of module {module.Module}, is outside its schema '{module.Schema}'"));
            }
        }

        return violations;
    }
}
