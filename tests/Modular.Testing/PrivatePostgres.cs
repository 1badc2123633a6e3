namespace Modular.Testing;

/// <summary>
/// A PostgreSQL cluster of one test's own, which the test may stop and start again to cause an outage: the shared server
/// must never be stopped. Debian's binaries, through scripts/lib/postgres.sh (installed with apt-get when missing).
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string Database = "modular";
    private readonly string _folder;
    private readonly string _port;

    private PrivatePostgres(string folder, string port)
    {
        _folder = folder;
        _port = port;
    }

    /// <summary>The Npgsql connection string of the test's database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Database={Database};Username=postgres;Password=postgres";

    /// <summary>Creates a cluster in a temporary folder on a free port, starts it and creates the test's database.</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var folder = await Scripts.RunAsync("pg_ensure_installed >&2 && pg_make_temp_dir");
        // Below the kernel's ephemeral range (32768 and up), where a client connection's local port could take it
        // between the check for a free port and the server's bind.
        var port = await Scripts.RunAsync("pg_free_port 25432");
        var cluster = new PrivatePostgres(folder, port);
        try
        {
            await cluster.StartAgainAsync();
            await Scripts.RunAsync("pg_create_database \"$1\" \"$2\" >&2", port, Database);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>A fast shutdown: open connections are closed, new ones refused, until <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => Scripts.RunAsync("pg_stop \"$1\"", _folder);

    public Task StartAgainAsync() => Scripts.RunAsync("pg_ensure_cluster \"$1\" \"$2\" >&2", _folder, _port);

    public async ValueTask DisposeAsync()
    {
        await Scripts.RunAsync("pg_stop \"$1\"; rm -rf \"$1\"", _folder);
    }
}
