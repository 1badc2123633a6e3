using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Modular.Host.Tests;

/// <summary>A Serilog sink the host picks up from the container (ReadFrom.Services), keeping every event.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();

    public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
}
