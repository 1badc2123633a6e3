using System.Text.Json;
using JasperFx.CommandLine;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Operations;
using Modular.BuildingBlocks.Validation;
using Npgsql;

namespace Modular.Host;

public enum DeadLetterAction
{
    list,
    replay,
    discard,
}

public sealed class DeadLettersInput : NetCoreInput
{
    [Description("list (the default), replay or discard")]
    public DeadLetterAction Action { get; set; } = DeadLetterAction.list;

    [Description("Only the dead letters of this module's inboxes")]
    public string? ModuleFlag { get; set; }

    [FlagAlias("message-type")]
    [Description("Only messages of this type (full or short name)")]
    public string? MessageTypeFlag { get; set; }

    [Description("Only those that failed with this exception type (full name, as listed)")]
    public string? ExceptionFlag { get; set; }

    [Description("Only these dead letters (message ids)")]
    public IEnumerable<string> IdFlag { get; set; } = [];

    [Description("For list: the page, from 1")]
    public int PageFlag { get; set; } = 1;

    [FlagAlias("page-size")]
    [Description("For list: dead letters per page")]
    public int PageSizeFlag { get; set; } = 20;
}

/// <summary>
/// <c>dotnet Modular.Host.dll dead-letters list|replay|discard [--module X] [--message-type T] [--exception E] [--id ID ...]</c>:
/// what <c>/api/platform/dead-letters</c> does, from the command line of the process (the deployment shape its
/// configuration names), without starting it. A replay marks the dead letters; the running process moves them back to
/// their inbox within seconds. See docs/adr/0015.
/// </summary>
[Description("Lists, replays or discards the messages this deployment shape's modules gave up on", Name = "dead-letters")]
public sealed class DeadLettersCommand : JasperFxAsyncCommand<DeadLettersInput>
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public override async Task<bool> Execute(DeadLettersInput input)
    {
        using var host = input.BuildHost();
        var services = host.Services;
        var ids = new List<Guid>();
        foreach (var id in input.IdFlag)
        {
            if (!Guid.TryParse(id, out var parsed))
            {
                await Console.Error.WriteLineAsync($"--id: '{id}' is not a message id (a GUID).");
                return false;
            }

            ids.Add(parsed);
        }

        var (criteria, errors) = DeadLetterCriteria.Resolve(input.ModuleFlag, input.MessageTypeFlag, input.ExceptionFlag, ids,
            services.GetRequiredService<ModuleTopology>(), services.GetRequiredService<ModularOptions>(), services.GetRequiredService<ModuleInboxes>());
        if (criteria is null)
        {
            foreach (var (field, messages) in errors)
            {
                await Console.Error.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
            }

            return false;
        }

        if (input.Action != DeadLetterAction.list && criteria.IsEmpty)
        {
            await Console.Error.WriteLineAsync($"Name the dead letters to {input.Action}: --id, --module, --message-type or --exception.");
            return false;
        }

        var deadLetters = services.GetRequiredService<DeadLetterOperations>();
        object result;
        try
        {
            result = input.Action switch
            {
                DeadLetterAction.replay => new ReplayedDeadLetters(await deadLetters.ReplayAsync(criteria, CancellationToken.None)),
                DeadLetterAction.discard => new DiscardedDeadLetters(await deadLetters.DiscardAsync(criteria, CancellationToken.None)),
                _ => await deadLetters.ListAsync(criteria, Math.Clamp(input.PageFlag, 1, PagingRules.MaxPage), Math.Clamp(input.PageSizeFlag, 1, PagingRules.MaxPageSize), CancellationToken.None),
            };
        }
        catch (PostgresException missing) when (missing.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            await Console.Error.WriteLineAsync(
                $"This database has no envelope tables for this deployment shape yet ({missing.MessageText}): start the host once, " +
                "or run 'dotnet Modular.Host.dll resources setup' with the same configuration. No message was ever dead-lettered here.");
            return false;
        }

        Console.WriteLine(JsonSerializer.Serialize(result, Indented));
        return true;
    }
}
