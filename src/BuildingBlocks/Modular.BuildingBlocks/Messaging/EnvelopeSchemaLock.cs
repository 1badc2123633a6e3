using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>
/// Who may run on this process's envelope schema. Wolverine's <c>Solo</c> start-up takes over every message in the schema
/// (it deletes the node records and releases every envelope's owner), so a second live process there, Solo or Balanced,
/// would have its messages taken from under it and handled twice; Wolverine itself does not notice. Replicas of one
/// shape run <c>Balanced</c> and share the schema. The rule is held as a PostgreSQL session advisory lock on a connection
/// of its own for the life of the process: exclusive for Solo, shared for Balanced. A process that cannot take it
/// refuses to start, naming the holders. Started before Wolverine's runtime. See docs/adr/0026.
/// </summary>
public sealed partial class EnvelopeSchemaLock : IHostedService, IAsyncDisposable
{
    /// <summary>The lock's first key, "MODU": its two-key form keeps it apart from Wolverine's one-key advisory locks.</summary>
    public const int Namespace = 0x4D4F4455;

    /// <summary>Another process may hold the lock for a moment (<see cref="StrandedMessages"/> looking at an old schema).</summary>
    private static readonly TimeSpan[] RetryAfter = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>How often the lock's connection is checked, and the lock taken again after PostgreSQL came back.</summary>
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    private readonly string _connectionString;
    private readonly string _schema;
    private readonly DurabilityMode _mode;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<EnvelopeSchemaLock> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private NpgsqlConnection? _connection;
    private Task _watching = Task.CompletedTask;

    public EnvelopeSchemaLock(string connectionString, string schema, DurabilityMode mode, IHostApplicationLifetime lifetime, ILogger<EnvelopeSchemaLock> logger)
    {
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Its own session: a pooled connection would hand the lock to whoever borrows it next.
            Pooling = false,
            ApplicationName = $"modular {schema} {mode} {Environment.MachineName}:{Environment.ProcessId}",
            // A process that vanished without closing its socket (a lost network, not kill -9) keeps the lock until the
            // server gives up on the session: TCP keep-alive probes from the server after 5 s of silence, 3 every 2 s.
            Options = "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3",
        }.ConnectionString;
        _schema = schema;
        _mode = mode;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>The lock's second key: the schema's name, hashed, as a positive number.</summary>
    public static int KeyOf(string schema) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(schema)), 0) & int.MaxValue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var refusal = await TryTakeAsync(cancellationToken);
        foreach (var pause in RetryAfter.TakeWhile(_ => refusal is not null))
        {
            await Task.Delay(pause, cancellationToken);
            refusal = await TryTakeAsync(cancellationToken);
        }

        if (refusal is not null)
        {
            throw new InvalidOperationException(refusal);
        }

        _watching = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watching;
        await CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _stopping.Dispose();
    }

    /// <summary>Null when this process holds the lock; otherwise why it may not run here.</summary>
    private async Task<string?> TryTakeAsync(CancellationToken cancellationToken)
    {
        await CloseAsync();
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand(
                _mode == DurabilityMode.Solo ? "select pg_try_advisory_lock($1, $2)" : "select pg_try_advisory_lock_shared($1, $2)", connection)
            {
                Parameters = { new() { Value = Namespace }, new() { Value = KeyOf(_schema) } },
            };
            if (await take.ExecuteScalarAsync(cancellationToken) is true)
            {
                _connection = connection;
                return null;
            }

            var holders = await HoldersAsync(connection, cancellationToken);
            await connection.DisposeAsync();
            return _mode == DurabilityMode.Solo
                ? $"Another live process uses the envelope schema '{_schema}' ({holders}). A process with Modular:Durability=Solo must be " +
                  "the only one on its schema: at start-up Solo takes over every message there, and the other process's messages would be " +
                  "handled twice. Stop the other process, or run every replica of this deployment shape with Modular:Durability=Balanced."
                : $"A Solo process owns the envelope schema '{_schema}' ({holders}). Replicas share a schema only when each runs with " +
                  "Modular:Durability=Balanced: stop that process, or restart it with Balanced.";
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The sessions holding the lock, as PostgreSQL shows them: their application name names host and process.</summary>
    private async Task<string> HoldersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand(
            """
            select coalesce(nullif(a.application_name, ''), 'pid ' || l.pid) || ', ' || l.mode
            from pg_locks l left join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and l.objsubid = 2
              and l.classid = $1::bigint::oid and l.objid = $2::bigint::oid
              and l.database = (select oid from pg_database where datname = current_database())
            """, connection)
        {
            Parameters = { new() { Value = Namespace }, new() { Value = KeyOf(_schema) } },
        };
        var holders = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            holders.Add(reader.GetString(0));
        }

        return holders.Count == 0 ? "it has just let go: try again" : string.Join("; ", holders);
    }

    /// <summary>
    /// A lost connection is a lost lock (PostgreSQL restarted, or the network dropped it): it is taken again as soon as
    /// PostgreSQL answers. If another process took the schema meanwhile, this one stops rather than share it.
    /// </summary>
    private async Task WatchAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(CheckEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                if (await StillHeldAsync(stopping))
                {
                    continue;
                }

                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    if (await TryTakeAsync(stopping) is { } refusal)
                    {
                        LogLost(refusal);
                        _lifetime.StopApplication();
                        return;
                    }

                    LogRetaken(_schema);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // PostgreSQL is away: nobody else can take the schema meanwhile either. Next tick, or, when the host
                    // is stopping meanwhile, the end of the watch: a stop never fails because the database is gone.
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> StillHeldAsync(CancellationToken stopping)
    {
        if (_connection is null)
        {
            return false;
        }

        try
        {
            await using var ping = new NpgsqlCommand("select 1", _connection);
            await ping.ExecuteScalarAsync(stopping);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // Lost, or the host is stopping: either way the next step (a retake, or the cancelled wait) decides.
            return false;
        }
    }

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            // Closing the session releases the lock.
            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "This process lost its hold on its envelope schema and could not take it back: {Refusal} The host stops.")]
    private partial void LogLost(string refusal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The connection holding envelope schema '{Schema}' was lost and is back; the schema is held again.")]
    private partial void LogRetaken(string schema);
}
