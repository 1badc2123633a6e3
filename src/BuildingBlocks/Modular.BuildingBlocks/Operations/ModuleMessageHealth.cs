using JasperFx.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;
using Wolverine.Persistence.Durability;
using Wolverine.RDBMS;
using Wolverine.Runtime.Serialization;

namespace Modular.BuildingBlocks.Operations;

/// <summary>What a module's messages look like in this process's envelope schema.</summary>
/// <param name="OldestWaiting">How long the oldest message waiting in its inbox has waited since it was sent; null when none waits.</param>
public sealed record ModuleMessageFigures(int DeadLetters, int Waiting, TimeSpan? OldestWaiting)
{
    public static readonly ModuleMessageFigures None = new(0, 0, null);
}

/// <summary>
/// Reads every hosted module's figures at once. The checks of one readiness report run together and share one read.
/// </summary>
public sealed class ModuleMessageFiguresReader(IMessageStore store, ModuleInboxes inboxes, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private Task<IReadOnlyDictionary<IModule, ModuleMessageFigures>>? _reading;

    public Task<IReadOnlyDictionary<IModule, ModuleMessageFigures>> ReadAsync()
    {
        lock (_lock)
        {
            if (_reading is not { IsCompleted: false })
            {
                _reading = ReadNowAsync();
            }

            return _reading;
        }
    }

    private async Task<IReadOnlyDictionary<IModule, ModuleMessageFigures>> ReadNowAsync()
    {
        var deadLetters = new Dictionary<IModule, int>();
        foreach (var count in await store.DeadLetters.SummarizeAllAsync("modular", TimeRange.AllTime(), CancellationToken.None))
        {
            if (inboxes.ModuleOf(count.ReceivedAt) is { } module)
            {
                deadLetters[module] = deadLetters.GetValueOrDefault(module) + count.Count;
            }
        }

        var waiting = await WaitingAsync();
        return deadLetters.Keys.Union(waiting.Keys).ToDictionary(
            m => m,
            m => waiting.TryGetValue(m, out var w)
                ? new ModuleMessageFigures(deadLetters.GetValueOrDefault(m), w.Count, w.Oldest)
                : ModuleMessageFigures.None with { DeadLetters = deadLetters.GetValueOrDefault(m) });
    }

    /// <summary>
    /// Wolverine counts the inbox as a whole (<c>FetchCountsAsync</c>) and records no time in its rows unless
    /// <c>InboxStaleTime</c> is set, which would also change how it reclaims messages. So this reads the Incoming rows
    /// of this process's own inbox table, owned or not, and takes each message's age from the time it was sent, which
    /// its envelope carries. See docs/adr/0015.
    /// </summary>
    private async Task<Dictionary<IModule, (int Count, TimeSpan Oldest)>> WaitingAsync()
    {
        var database = store as IMessageDatabase
            ?? throw new InvalidOperationException($"The message store is a {store.GetType().Name}; inbox ages are read from PostgreSQL.");
        await using var command = database.DataSource.CreateCommand(
            $"select received_at, body from {database.SchemaName}.wolverine_incoming_envelopes where status = 'Incoming'");
        await using var reader = await command.ExecuteReaderAsync();
        var now = clock.GetUtcNow();
        var waiting = new Dictionary<IModule, (int Count, TimeSpan Oldest)>();
        while (await reader.ReadAsync())
        {
            if (inboxes.ModuleOf(reader.IsDBNull(0) ? null : reader.GetString(0)) is not { } module)
            {
                continue;
            }

            var age = now - EnvelopeSerializer.Deserialize(reader.GetFieldValue<byte[]>(1)).SentAt;
            var (count, oldest) = waiting.GetValueOrDefault(module);
            waiting[module] = (count + 1, age > oldest ? age : oldest);
        }

        return waiting;
    }
}

/// <summary>
/// A hosted module's readiness: Degraded, naming the module and the figures, when it has more dead letters than
/// <see cref="HealthLimits.MaxDeadLetters"/> or a message has waited in its inbox longer than <see cref="HealthLimits.MaxInboxAge"/>.
/// Degraded rather than Unhealthy: the process still serves, and the other modules' messages still flow.
/// </summary>
public sealed class ModuleMessagesHealthCheck(IModule module, ModuleMessageFiguresReader reader, HealthLimits limits) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var figures = (await reader.ReadAsync().WaitAsync(cancellationToken)).GetValueOrDefault(module) ?? ModuleMessageFigures.None;
        var data = new Dictionary<string, object>
        {
            ["deadLetters"] = figures.DeadLetters,
            ["waitingInInbox"] = figures.Waiting,
            ["oldestWaiting"] = figures.OldestWaiting is { } age ? Round(age).ToString() : "none",
        };

        var problems = new List<string>();
        if (figures.DeadLetters > limits.MaxDeadLetters)
        {
            problems.Add($"{figures.DeadLetters} dead letter(s), more than {limits.MaxDeadLetters}: see /api/platform/dead-letters?module={module.Name}");
        }

        if (figures.OldestWaiting is { } oldest && oldest > limits.MaxInboxAge)
        {
            problems.Add($"a message has waited in its inbox for {Round(oldest)}, longer than {limits.MaxInboxAge} ({figures.Waiting} waiting)");
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{module.Name}: {figures.DeadLetters} dead letter(s), {figures.Waiting} message(s) waiting in its inbox", data)
            : HealthCheckResult.Degraded($"{module.Name}: {string.Join("; ", problems)}", data: data);
    }

    private static TimeSpan Round(TimeSpan age) => TimeSpan.FromSeconds(Math.Floor(age.TotalSeconds));
}
