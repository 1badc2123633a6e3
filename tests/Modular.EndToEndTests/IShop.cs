namespace Modular.EndToEndTests;

/// <summary>
/// A running system in some topology, seen only through its public HTTP API. The scenarios use nothing else, so
/// they run unchanged whether the modules share a process or not.
/// </summary>
public interface IShop : IAsyncLifetime
{
    HttpClient Client { get; }
}
