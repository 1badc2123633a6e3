using Serilog.Core;
using Serilog.Events;

namespace Modular.BuildingBlocks.Logging;

/// <summary>
/// Masks secrets (<see cref="Redaction"/>) in the exception of each event before a sink that formats it itself (the
/// OTLP sink) sees it: what <see cref="RedactingFormatter"/> does for the console.
/// </summary>
public sealed class RedactingSink(ILogEventSink inner) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Exception is not { } exception)
        {
            inner.Emit(logEvent);
            return;
        }

        inner.Emit(new LogEvent(
            logEvent.Timestamp, logEvent.Level, new RedactedException(exception), logEvent.MessageTemplate,
            logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value)), logEvent.TraceId ?? default, logEvent.SpanId ?? default));
    }

    /// <summary>The original's text, type and stack trace included, masked.</summary>
    private sealed class RedactedException(Exception original) : Exception(Redaction.Redact(original.Message))
    {
        private readonly string _text = Redaction.Redact(original.ToString());

        public override string? StackTrace => null;

        public override string ToString() => _text;
    }
}
