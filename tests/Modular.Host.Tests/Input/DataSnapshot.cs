using Modular.Testing;
using Npgsql;

namespace Modular.Host.Tests.Input;

/// <summary>
/// A fingerprint of every row in every module's schema (documents, events, streams): two equal snapshots mean no
/// request wrote anything a module owns. Wolverine's envelope tables are left out: they hold the platform's own
/// bookkeeping, not module data.
/// </summary>
public sealed record DataSnapshot(IReadOnlyDictionary<string, string> Tables)
{
    public static async Task<DataSnapshot> TakeAsync(string connectionString)
    {
        var schemas = ModuleCatalog.All.Select(m => m.Schema).ToHashSet(StringComparer.Ordinal);
        var tables = (await Sql.TablesAsync(connectionString)).Where(t => schemas.Contains(t.Schema)).ToList();
        var query = string.Join(" union all ", tables.Select(t =>
            $"select '{t.Schema}.{t.Table}', coalesce(md5(string_agg(r::text, '|' order by r::text)), '-') from \"{t.Schema}\".\"{t.Table}\" r"));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(query, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var fingerprints = new SortedDictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            fingerprints[reader.GetString(0)] = reader.GetString(1);
        }

        return new DataSnapshot(fingerprints);
    }

    /// <summary>The tables whose rows differ, or none.</summary>
    public IReadOnlyList<string> ChangedSince(DataSnapshot before) =>
        Tables.Keys.Union(before.Tables.Keys)
            .Where(t => Tables.GetValueOrDefault(t) != before.Tables.GetValueOrDefault(t))
            .Order(StringComparer.Ordinal)
            .ToList();
}
