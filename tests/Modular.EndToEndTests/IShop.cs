using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>
/// A running system in some topology, seen only through its public HTTP API. The scenarios use nothing else, so
/// they run unchanged whether the modules share a process or not.
/// </summary>
public interface IShop : IAsyncLifetime
{
    HttpClient Client { get; }
}

/// <summary>A shop whose processes export their spans where the test can read them.</summary>
public interface ITracedShop : IShop
{
    /// <summary>The spans exported so far: in process by the in-memory exporter, from other processes by OTLP.</summary>
    IReadOnlyList<RecordedSpan> Spans { get; }
}
