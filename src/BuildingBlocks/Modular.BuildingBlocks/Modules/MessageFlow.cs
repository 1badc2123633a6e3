namespace Modular.BuildingBlocks.Modules;

/// <summary>A contract message going from one module to another.</summary>
public sealed record MessageFlow(string From, string To, string Message)
{
    /// <summary>
    /// The flows between the modules of <paramref name="catalog"/>, read from their assemblies: a module handles the
    /// contract messages its handlers take; an event (a contract message its own module does not handle) comes from the
    /// module that owns it, and a command (one its own module handles) from each other module that references its
    /// Contracts assembly, the only way to create it. Messages a module sends itself are not flows between modules. The
    /// architecture tests check the result against the messages each module's IL creates (docs/modules.md).
    /// </summary>
    public static IReadOnlyList<MessageFlow> Between(IReadOnlyList<IModule> catalog)
    {
        var flows = new List<MessageFlow>();
        foreach (var receiver in catalog)
        {
            foreach (var message in ModuleConventions.HandledMessageTypes(receiver.Assembly))
            {
                if (catalog.FirstOrDefault(m => m.ContractsAssembly == message.Assembly) is not { } owner)
                {
                    continue;
                }

                var senders = owner != receiver
                    ? [owner]
                    : catalog.Where(m => m != owner && m.Assembly.GetReferencedAssemblies().Any(a => a.FullName == owner.ContractsAssembly.FullName));
                flows.AddRange(senders.Select(sender => new MessageFlow(sender.Name, receiver.Name, message.FullName!)));
            }
        }

        return flows.OrderBy(f => f.From, StringComparer.Ordinal).ThenBy(f => f.To, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal).ToList();
    }
}
