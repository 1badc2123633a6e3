using System.Text.Json;

namespace Modular.BuildingBlocks.Operations;

/// <summary>A message that a module gave up on, as an operator sees it.</summary>
/// <param name="Id">The message's id; with <paramref name="Module"/> it names one dead letter.</param>
/// <param name="Module">The module whose inbox received the message and whose handler failed; null for other endpoints.</param>
/// <param name="ReceivedAt">The endpoint that received it.</param>
/// <param name="FailedAt">When it was moved to the dead letters.</param>
/// <param name="Attempts">How many times the handler ran before giving up.</param>
/// <param name="Replays">How many times it was replayed before and failed again.</param>
/// <param name="ReplayRequested">Marked for replay: Wolverine moves it back to the inbox within seconds.</param>
/// <param name="Message">The message body as JSON.</param>
public sealed record DeadLetterView(
    Guid Id,
    string? Module,
    string ReceivedAt,
    string MessageType,
    string ExceptionType,
    string ExceptionMessage,
    DateTimeOffset FailedAt,
    DateTimeOffset SentAt,
    int Attempts,
    int Replays,
    bool ReplayRequested,
    JsonElement? Message);

/// <summary>A page of this process's dead letters, newest first.</summary>
/// <param name="EnvelopeSchema">The schema they were read from: each process answers for its own.</param>
public sealed record DeadLetterPage(string EnvelopeSchema, IReadOnlyList<DeadLetterView> Items, long TotalCount, int Page, int PageSize);

/// <summary>Dead letters named by id, for the bulk operations; the filters come in the query string.</summary>
public sealed record DeadLetterIds(IReadOnlyList<Guid>? Ids);

public sealed record ReplayedDeadLetters(int Replayed);

public sealed record DiscardedDeadLetters(int Discarded);
