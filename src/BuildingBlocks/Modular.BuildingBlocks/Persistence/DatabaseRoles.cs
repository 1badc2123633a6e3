using JasperFx.CommandLine.Descriptions;
using JasperFx.Resources;
using Npgsql;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Modular.BuildingBlocks.Persistence;

/// <summary>
/// The service's login roles, as a JasperFx resource: <c>resources setup</c> creates them (or resets their passwords) and
/// grants each one the tables of its schemas, after Marten and Wolverine have built those tables; <c>resources check</c>
/// logs in as each. Run as the owner of the schemas. See docs/adr/0020.
/// </summary>
public sealed class DatabaseRoles(DatabaseLogins logins)
    : StatefulResourceBase("Database roles", "roles", new Uri("modular://database/roles"), ResourceUriOf(logins.Owner)),
      IStatefulResourceWithDependencies
{
    // Any Setup of the same database, in another process of the deployment too, waits for the one under way: two would
    // both find a role missing and the second CREATE ROLE would fail.
    private const long SetupLock = 0x4D6F64756C6172; // "Modular"

    /// <summary>Every other resource builds tables this one grants: it goes last (ALTER DEFAULT PRIVILEGES covers later ones).</summary>
    public IEnumerable<IStatefulResource> FindDependencies(IReadOnlyList<IStatefulResource> others) => others.Where(o => o != this);

    public override async Task Setup(CancellationToken token)
    {
        await using var connection = new NpgsqlConnection(logins.Owner);
        await connection.OpenAsync(token);
        await using var transaction = await connection.BeginTransactionAsync(token);
        await using var command = new NpgsqlCommand(SetupSql(logins.Roles), connection, transaction);
        await command.ExecuteNonQueryAsync(token);
        await transaction.CommitAsync(token);
    }

    public override async Task Check(CancellationToken token)
    {
        foreach (var role in logins.Roles)
        {
            await using var connection = new NpgsqlConnection(logins.ConnectionStringOf(role));
            await connection.OpenAsync(token);
        }
    }

    public override Task<IRenderable> DetermineStatus(CancellationToken token) =>
        Task.FromResult<IRenderable>(new Markup(Markup.Escape(string.Join(", ", logins.Roles.Select(r => $"{r.Name}: {string.Join(" ", r.Schemas)}")))));

    /// <summary>Idempotent: each run creates what is missing, sets the configured passwords and grants again.</summary>
    public static string SetupSql(IEnumerable<DatabaseRole> roles)
    {
        var sql = new List<string> { $"SELECT pg_advisory_xact_lock({SetupLock});" };
        foreach (var role in roles)
        {
            var name = Identifier(role.Name);
            sql.Add($"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {Literal(role.Name)}) THEN CREATE ROLE {name}; END IF; END $$;");
            // A new role has none of the attributes beyond LOGIN (only a superuser may even name some of them). The password
            // is set on every run: rotating one is changing the configuration and running setup again.
            sql.Add($"ALTER ROLE {name} WITH LOGIN PASSWORD {Literal(role.Password)};");
            foreach (var schema in role.Schemas.Select(Identifier))
            {
                // Reading and writing rows, and what Marten's functions and sequences need for that; never DDL, never TRUNCATE.
                sql.Add($"CREATE SCHEMA IF NOT EXISTS {schema};");
                sql.Add($"GRANT USAGE ON SCHEMA {schema} TO {name};");
                sql.Add($"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {name};");
                sql.Add($"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {name};");
                sql.Add($"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {name};");
                // Tables the owner adds later (a new document type, a Wolverine upgrade) are granted as they are created.
                sql.Add($"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name};");
                sql.Add($"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {name};");
                sql.Add($"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT EXECUTE ON FUNCTIONS TO {name};");
            }
        }

        return string.Join(Environment.NewLine, sql);
    }

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // standard_conforming_strings is on (PostgreSQL's default since 9.1, and Npgsql requires it): only quotes need doubling.
    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static Uri ResourceUriOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new Uri($"postgresql://{builder.Host}:{builder.Port}/{builder.Database}/roles");
    }
}

/// <summary>Shows the roles to JasperFx's <c>resources</c> and <c>describe</c> commands.</summary>
public sealed class DatabaseRolesPart(DatabaseLogins logins) : SystemPartBase("Database roles", new Uri("modular://database/roles"))
{
    public override ValueTask<IReadOnlyList<IStatefulResource>> FindResources() =>
        ValueTask.FromResult<IReadOnlyList<IStatefulResource>>([new DatabaseRoles(logins)]);
}
