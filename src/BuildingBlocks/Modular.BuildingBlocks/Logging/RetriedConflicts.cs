using JasperFx;
using Marten.Exceptions;
using Serilog.Events;

namespace Modular.BuildingBlocks.Logging;

/// <summary>
/// Wolverine logs every failed attempt of a message at Warning, with the exception's stack trace. An optimistic-concurrency
/// conflict is not a failure but a race lost and retried, which the retry policy records as one line at Debug
/// (MessagingDefaults): its Warning is left out. A conflict that exhausts its retries still reaches the log, at Error,
/// as its message moves to the dead letters. See docs/adr/0031.
/// </summary>
public static class RetriedConflicts
{
    public static bool IsRetriedAttempt(LogEvent logEvent) =>
        logEvent.Level < LogEventLevel.Error && IsConflict(logEvent.Exception);

    public static bool IsConflict(Exception? exception) => exception switch
    {
        null => false,
        ConcurrencyException or DocumentAlreadyExistsException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsConflict),
        _ => IsConflict(exception.InnerException),
    };
}
