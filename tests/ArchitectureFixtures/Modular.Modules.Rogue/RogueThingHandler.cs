using Modular.Modules.Rogue.Contracts;
using Wolverine;

namespace Modular.Modules.Rogue;

/// <summary>Breaks the handler shape: not static, and sends its effect through the bus instead of returning it.</summary>
public class RogueThingHandler
{
    public ValueTask Handle(RogueThing msg, IMessageBus bus) => bus.PublishAsync(msg);
}
