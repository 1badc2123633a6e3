using System.Data.Common;
using Npgsql;

namespace Modular.BuildingBlocks.Persistence;

/// <summary>
/// Npgsql settings every store and Wolverine's message store connect with, unless the connection string sets them
/// itself. Measured per order (scripts/benchmark.sh): half of PostgreSQL's transactions were the <c>DISCARD ALL</c> that
/// resets a pooled connection, and every statement was parsed and planned anew. See docs/adr/0030.
/// </summary>
public static class ConnectionTuning
{
    /// <summary>Statements kept prepared per physical connection: a module's hot path is a few dozen.</summary>
    public const int MaxAutoPrepare = 100;

    /// <summary>Prepared from the second use: a statement run once (a migration, an operator's query) stays unprepared.</summary>
    public const int AutoPrepareMinUsages = 2;

    /// <summary>
    /// <paramref name="connectionString"/> with no session reset on returning a connection to the pool (nothing here leaves
    /// session state behind: no <c>SET</c>, no temporary table, and the only session-level advisory lock is taken on a
    /// connection of its own, outside the pool) and with automatic preparation, which a reset would undo.
    /// </summary>
    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
            if (!given.Contains("AutoPrepareMinUsages"))
            {
                builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
            }
        }

        return builder.ConnectionString;
    }
}
