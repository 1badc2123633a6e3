using Wolverine.Http;

namespace Modular.Modules.Rogue;

/// <summary>Breaks the endpoint shape: not static, and not named *Endpoint.</summary>
public class RogueApi
{
    [WolverineGet("/api/rogue")]
    public string Get() => "rogue";
}
