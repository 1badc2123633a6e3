using Modular.BuildingBlocks.Hosting;
using Wolverine.Util;

namespace Modular.BuildingBlocks.Operations;

/// <summary>
/// Which dead letters an operator means, resolved against this process: the inboxes of the named module, the message
/// type as Wolverine stores it, the exception type and explicit ids. A null list means "any"; an empty one, "none".
/// </summary>
public sealed record DeadLetterCriteria(IReadOnlyList<string>? Endpoints, string? MessageType, string? ExceptionType, IReadOnlyList<Guid> Ids)
{
    public bool IsEmpty => Endpoints is null && MessageType is null && ExceptionType is null && Ids.Count == 0;

    /// <summary>
    /// Resolves what an operator typed (HTTP query or command line) into criteria, or into errors naming each bad
    /// filter. A module must be hosted by this process, because only its own envelope schema is here; a message type may
    /// be given by its full or its short name.
    /// </summary>
    public static (DeadLetterCriteria? Criteria, Dictionary<string, string[]> Errors) Resolve(
        string? module, string? messageType, string? exceptionType, IReadOnlyList<Guid>? ids, ModuleTopology topology, ModularOptions settings, ModuleInboxes inboxes)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        IReadOnlyList<string>? endpoints = null;
        if (!string.IsNullOrWhiteSpace(module))
        {
            var named = topology.Catalog.FirstOrDefault(m => string.Equals(m.Name, module.Trim(), StringComparison.OrdinalIgnoreCase));
            if (named is null)
            {
                errors["module"] = [$"'{module}' is not a module. Known modules: {string.Join(", ", topology.Catalog.Select(m => m.Name))}."];
            }
            else if (!topology.IsHosted(named))
            {
                errors["module"] = [$"{named.Name} runs in another process, which keeps its dead letters in its own envelope schema: ask that process" +
                                    (settings.RemoteUrls.TryGetValue(named.Name, out var url) ? $" ({url})." : ".")];
            }
            else
            {
                endpoints = inboxes.EndpointsOf(named);
            }
        }

        string? typeName = null;
        if (!string.IsNullOrWhiteSpace(messageType))
        {
            var wanted = messageType.Trim();
            var matches = topology.Handling.Select(h => h.MessageType).Distinct()
                .Where(t => t.ToMessageTypeName() == wanted || t.Name == wanted).ToList();
            if (matches.Count == 1)
            {
                typeName = matches[0].ToMessageTypeName();
            }
            else
            {
                errors["messageType"] = [matches.Count == 0
                    ? $"'{messageType}' is not a message any module handles."
                    : $"'{messageType}' names several messages: {string.Join(", ", matches.Select(t => t.ToMessageTypeName()))}. Give the full name."];
            }
        }

        var exception = string.IsNullOrWhiteSpace(exceptionType) ? null : exceptionType.Trim();
        return errors.Count > 0 ? (null, errors) : (new DeadLetterCriteria(endpoints, typeName, exception, ids ?? []), errors);
    }
}
