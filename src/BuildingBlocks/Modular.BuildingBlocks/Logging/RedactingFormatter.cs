using Serilog.Events;
using Serilog.Formatting;

namespace Modular.BuildingBlocks.Logging;

/// <summary>
/// Masks secrets (<see cref="Redaction"/>) in everything a formatter writes, the exception text included, which no
/// enricher can reach: a driver's exception may quote the connection string it was given.
/// </summary>
public sealed class RedactingFormatter(ITextFormatter inner) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var line = new StringWriter(output.FormatProvider);
        inner.Format(logEvent, line);
        output.Write(Redaction.Redact(line.ToString()));
    }
}
