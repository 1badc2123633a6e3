using Npgsql;

namespace Modular.Testing;

/// <summary>Direct SQL for assertions about what is (not) in the database.</summary>
public static class Sql
{
    public static async Task<long> CountAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <paramref name="sql"/>; returns null when it succeeds, else PostgreSQL's SQLSTATE and message ("42501: permission denied…").</summary>
    public static async Task<string?> ErrorOfAsync(string connectionString, string sql)
    {
        try
        {
            await ExecuteAsync(connectionString, sql);
            return null;
        }
        catch (PostgresException e)
        {
            return $"{e.SqlState}: {e.MessageText}";
        }
    }

    public static async Task<List<(string Schema, string Table)>> TablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select table_schema, table_name from information_schema.tables " +
            "where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            tables.Add((reader.GetString(0), reader.GetString(1)));
        }

        return tables;
    }
}
