using System.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Operations;
using Npgsql;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>
/// Moving to another deployment shape (one process to split, split to one process, another split) changes the envelope
/// schema each module's messages are kept in. Messages still waiting in the old shape's schema, for a module this
/// process now hosts, would wait there forever: nothing runs that schema any more. At start-up, after Wolverine's
/// runtime, this process takes them over, each in one transaction with its removal from the old place, so each is
/// handled once, here: the inbox rows (waiting or scheduled) and outbox rows of envelope schemas that no live process
/// holds (<see cref="EnvelopeSchemaLock"/>), and, when this process no longer listens to the PostgreSQL queue
/// transport, the messages still in its modules' queue tables. Wolverine's durability agent then handles them as it
/// recovers any unowned message. See docs/adr/0028.
/// </summary>
public sealed partial class StrandedMessages(
    string connectionString, string envelopeSchema, ModuleTransport transport, ModuleTopology topology, ModuleInboxes inboxes,
    ILogger<StrandedMessages> logger) : IHostedService
{
    private const string Incoming = "wolverine_incoming_envelopes";
    private const string Outgoing = "wolverine_outgoing_envelopes";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var schema in await OtherEnvelopeSchemasAsync(connection, cancellationToken))
        {
            await TakeOverAsync(connection, schema, cancellationToken);
        }

        if (transport != ModuleTransport.PostgreSQL)
        {
            await TakeOverQueuesAsync(connection, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<List<string>> OtherEnvelopeSchemasAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand(
            "select table_schema from information_schema.tables where table_name = $1 and table_schema <> $2 order by 1", connection)
        {
            Parameters = { new() { Value = Incoming }, new() { Value = envelopeSchema } },
        };
        var schemas = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            schemas.Add(reader.GetString(0));
        }

        return schemas;
    }

    private async Task TakeOverAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        // Held until the commit: a process of the old shape cannot start meanwhile, and a live one is never taken from.
        await using (var free = new NpgsqlCommand("select pg_try_advisory_xact_lock($1, $2)", connection, transaction)
        {
            Parameters = { new() { Value = EnvelopeSchemaLock.Namespace }, new() { Value = EnvelopeSchemaLock.KeyOf(schema) } },
        })
        {
            if (await free.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return;
            }
        }

        var taken = new Dictionary<string, int>();
        foreach (var (module, inbox) in topology.Hosted.Select(m => (m, ModuleTopology.InboxOf(m))))
        {
            var incoming = await MoveAsync(connection, transaction, module,
                $"""
                delete from "{schema}".{Incoming}
                where status in ('Incoming', 'Scheduled') and ({AddressedTo("received_at")})
                returning id, status, execution_time, attempts, body, message_type, received_at, keep_until
                """, inbox, cancellationToken);
            var outgoing = await MoveAsync(connection, transaction, module,
                $"""
                delete from "{schema}".{Outgoing} where {AddressedTo("destination")}
                returning id, 'Incoming', null::timestamptz, 0, body, message_type, destination, null::timestamptz
                """, inbox, cancellationToken);
            if (incoming + outgoing > 0)
            {
                taken[module.Name] = incoming + outgoing;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var (module, count) in taken)
        {
            LogTakenOver(count, module, schema);
        }
    }

    /// <summary>The messages still in the PostgreSQL queue tables of this process's modules, which no process here listens to.</summary>
    private async Task TakeOverQueuesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        foreach (var module in topology.Hosted)
        {
            var queue = $"{MessagingDefaults.QueueSchema}.wolverine_queue_{ModuleTopology.InboxOf(module)}";
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            await using (var exists = new NpgsqlCommand("select to_regclass($1) is not null and to_regclass($2) is not null", connection, transaction)
            {
                Parameters = { new() { Value = queue }, new() { Value = queue + "_scheduled" } },
            })
            {
                if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    continue;
                }
            }

            var inbox = ModuleTopology.InboxOf(module);
            var waiting = await MoveAsync(connection, transaction, module,
                $"delete from {queue} returning id, 'Incoming', null::timestamptz, 0, body, message_type, 'postgresql://{inbox}/', keep_until", inbox, cancellationToken);
            var scheduled = await MoveAsync(connection, transaction, module,
                $"delete from {queue}_scheduled returning id, 'Scheduled', execution_time, 0, body, message_type, 'postgresql://{inbox}/', keep_until", inbox, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (waiting + scheduled > 0)
            {
                LogTakenOver(waiting + scheduled, module.Name, queue);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="take"/> (a delete returning inbox rows) and inserts each row into this process's inbox as
    /// unowned, at the module's endpoint here that has the same address, else the same kind, else its first.
    /// </summary>
    private async Task<int> MoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IModule module, string take, string inbox, CancellationToken cancellationToken)
    {
        var endpoints = inboxes.EndpointsOf(module);
        if (endpoints.Count == 0)
        {
            return 0;
        }

        await using var move = new NpgsqlCommand(
            $"""
            with taken (id, status, execution_time, attempts, body, message_type, address, keep_until) as ({take})
            insert into "{envelopeSchema}".{Incoming} (id, status, owner_id, execution_time, attempts, body, message_type, received_at, keep_until)
            select id, status, 0, execution_time, coalesce(attempts, 0), body, message_type,
                   coalesce((select e from unnest($1::text[]) e where e = taken.address),
                            (select e from unnest($1::text[]) e where split_part(e, ':', 1) = split_part(taken.address, ':', 1) limit 1),
                            $1[1]),
                   keep_until
            from taken
            on conflict do nothing
            """, connection, transaction)
        {
            Parameters = { new() { Value = endpoints.ToArray() }, new() { Value = inbox } },
        };
        return await move.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// An address is the module's inbox whatever the transport: <c>local://ordering/</c>, <c>postgresql://ordering/</c>,
    /// <c>rabbitmq://queue/ordering</c>. The inbox name is the query's second parameter.
    /// </summary>
    private static string AddressedTo(string column) =>
        $"rtrim({column}, '/') ~ ('^[a-z]+://(queue/)?' || $2 || '$')";

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Took over {Count} messages for {Module} left in {Place}, which no process runs any more (a change of deployment shape); they are handled here.")]
    private partial void LogTakenOver(int count, string module, string place);
}
