using Npgsql;
using Testcontainers.PostgreSql;

namespace Modular.Testing;

/// <summary>
/// The PostgreSQL server the tests run against, one per test run. A connection string in
/// <c>MODULAR_TEST_POSTGRES</c> wins (scripts/test.sh sets it after starting a throwaway cluster); otherwise a
/// Testcontainers container when a Docker engine answers; otherwise a failure that says how to get one.
/// Each test class gets a database of its own from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "MODULAR_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> AdminConnectionString = new(StartAsync);

    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var admin = await AdminConnectionString.Value;
        var name = $"t_{Sanitize(purpose)}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    private static Task<string> StartAsync() => ExternalServer.FindAsync(EnvironmentVariable, async () =>
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return container.GetConnectionString();
        },
        $"The tests need PostgreSQL and found none. Either run them with scripts/test.sh (it starts a throwaway " +
        $"cluster from Debian's postgresql package), or set {EnvironmentVariable} to a connection string of a " +
        "server where the user may CREATE DATABASE, or start a Docker engine for Testcontainers.");

    private static string Sanitize(string purpose) =>
        new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(16).ToArray());
}
