using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.RDBMS;

namespace Modular.BuildingBlocks.Operations;

/// <summary>
/// This process's dead letters, read and changed through Wolverine's dead-letter API (<see cref="IDeadLetters"/>) of
/// its own message store. The HTTP API and the <c>dead-letters</c> command both use it. See docs/adr/0015.
/// </summary>
public sealed class DeadLetterOperations(IMessageStore store, ModuleInboxes inboxes)
{
    public string EnvelopeSchema => Database.SchemaName;

    private IMessageDatabase Database => store as IMessageDatabase
        ?? throw new InvalidOperationException($"The message store is a {store.GetType().Name}; dead letters are read from PostgreSQL.");

    /// <summary>A page of dead letters, newest first.</summary>
    public async Task<DeadLetterPage> ListAsync(DeadLetterCriteria criteria, int page, int pageSize, CancellationToken cancellation)
    {
        var (keys, total) = await PageOfKeysAsync(criteria, page, pageSize, cancellation);
        var found = keys.Count == 0 ? [] : await ReadAsync(keys.Select(k => k.Id).Distinct().ToArray(), cancellation);
        var items = keys
            .Select(k => found.FirstOrDefault(d => d.Id == k.Id && d.ReceivedAt == k.ReceivedAt))
            .OfType<DeadLetterEnvelope>()
            .Select(View)
            .ToList();
        return new DeadLetterPage(EnvelopeSchema, items, total, page, pageSize);
    }

    /// <summary>The dead letters with this id that match <paramref name="criteria"/>: one per module that gave up on the message.</summary>
    public async Task<IReadOnlyList<DeadLetterView>> FindAsync(Guid id, DeadLetterCriteria criteria, CancellationToken cancellation) =>
        (await ReadAsync([id], cancellation))
        .Where(d => criteria.Endpoints is null || criteria.Endpoints.Contains(d.ReceivedAt))
        .Select(View)
        .ToList();

    /// <summary>Marks the matching dead letters for replay and says how many; Wolverine's durability agent moves them back to their inbox.</summary>
    public Task<int> ReplayAsync(DeadLetterCriteria criteria, CancellationToken cancellation) =>
        ForEachQueryAsync(criteria, query => store.DeadLetters.ReplayMatchingAsync(query, cancellation));

    /// <summary>Deletes the matching dead letters and says how many.</summary>
    public Task<int> DiscardAsync(DeadLetterCriteria criteria, CancellationToken cancellation) =>
        ForEachQueryAsync(criteria, query => store.DeadLetters.DiscardMatchingAsync(query, cancellation));

    /// <summary>Wolverine's query takes one receiving endpoint, so a module with an inbox per transport is one query per inbox.</summary>
    private static async Task<int> ForEachQueryAsync(DeadLetterCriteria criteria, Func<DeadLetterEnvelopeQuery, Task<DeadLetterOperationResult>> operation)
    {
        var affected = 0;
        var endpoints = criteria.Endpoints?.Select(e => (string?)e) ?? new string?[] { null };
        foreach (var endpoint in endpoints)
        {
            var result = await operation(new DeadLetterEnvelopeQuery
            {
                MessageIds = criteria.Ids.ToArray(),
                ReceivedAt = endpoint,
                MessageType = criteria.MessageType,
                ExceptionType = criteria.ExceptionType,
            });
            affected += result.Affected ?? 0;
        }

        return affected;
    }

    private async Task<IReadOnlyList<DeadLetterEnvelope>> ReadAsync(Guid[] ids, CancellationToken cancellation) =>
        (await store.DeadLetters.QueryAsync(new DeadLetterEnvelopeQuery(ids) { PageSize = 0 }, cancellation)).Envelopes;

    /// <summary>
    /// The one query Wolverine's API cannot make: it pages in <c>execution_time</c> order, which is empty for almost
    /// every dead letter, and filters by a single receiving endpoint. This selects only the keys of a page, newest
    /// first, from this process's own table; the dead letters themselves are then read through the API.
    /// </summary>
    private async Task<(List<(Guid Id, string ReceivedAt)> Keys, long Total)> PageOfKeysAsync(
        DeadLetterCriteria criteria, int page, int pageSize, CancellationToken cancellation)
    {
        await using var command = Database.DataSource.CreateCommand(
            $"""
             select id, received_at, count(*) over () from {Database.SchemaName}.wolverine_dead_letters
             where archived_at is null
               and (@any_endpoint or received_at = any(@endpoints))
               and (@message_type::text is null or message_type = @message_type)
               and (@exception_type::text is null or exception_type = @exception_type)
               and (cardinality(@ids) = 0 or id = any(@ids))
             order by coalesce(failed_at, sent_at) desc, id
             limit @limit offset @offset
             """);
        command.Parameters.Add(new NpgsqlParameter("any_endpoint", criteria.Endpoints is null));
        command.Parameters.Add(new NpgsqlParameter("endpoints", (criteria.Endpoints ?? []).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("message_type", NpgsqlDbType.Text) { Value = (object?)criteria.MessageType ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("exception_type", NpgsqlDbType.Text) { Value = (object?)criteria.ExceptionType ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("ids", criteria.Ids.ToArray()));
        command.Parameters.Add(new NpgsqlParameter("limit", pageSize));
        command.Parameters.Add(new NpgsqlParameter("offset", (page - 1) * pageSize));

        var keys = new List<(Guid, string)>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            keys.Add((reader.GetGuid(0), reader.IsDBNull(1) ? "" : reader.GetString(1)));
            total = reader.GetInt64(2);
        }

        if (keys.Count == 0 && page > 1)
        {
            // Past the last page: the window count is not there to read.
            total = await CountAsync(criteria, cancellation);
        }

        return (keys, total);
    }

    private async Task<long> CountAsync(DeadLetterCriteria criteria, CancellationToken cancellation)
    {
        var (_, total) = await PageOfKeysAsync(criteria, 1, 1, cancellation);
        return total;
    }

    private DeadLetterView View(DeadLetterEnvelope dead) => new(
        dead.Id,
        inboxes.ModuleOf(dead.ReceivedAt)?.Name,
        dead.ReceivedAt,
        dead.MessageType,
        dead.ExceptionType,
        dead.ExceptionMessage,
        dead.FailedAt ?? dead.SentAt,
        dead.SentAt,
        dead.Envelope.Attempts,
        dead.ReplayCount,
        dead.Replayable,
        BodyOf(dead.Envelope));

    private static JsonElement? BodyOf(Wolverine.Envelope envelope)
    {
        if (envelope.Data is not { Length: > 0 } data || envelope.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(data).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
