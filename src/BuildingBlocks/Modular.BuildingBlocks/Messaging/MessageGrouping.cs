using System.Reflection;
using Wolverine;
using Wolverine.Runtime.Partitioning;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>
/// Which messages must not be handled at the same time: those with the same group key. Each module inbox handles up to
/// <see cref="ModuleRouting.InboxSlots"/> messages at once, one per slot, and a group always goes to the same slot, so one
/// order's messages are handled one after another while other orders' messages run beside them. A module declares the
/// keys of the messages it defines; every process applies every module's declarations, because the sender stamps the key
/// on the envelope (the <c>group-id</c> header) and the receiver, in whichever process, honours it. See docs/adr/0031.
/// </summary>
public sealed class MessageGrouping : IGroupingRule
{
    private readonly Dictionary<Type, Func<object, string?>> _keys = [];

    /// <summary>Every public message type of <paramref name="assembly"/> with a property <paramref name="property"/>, by its value.</summary>
    public MessageGrouping ByProperty(Assembly assembly, string property)
    {
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance) is { CanRead: true } read)
            {
                _keys.TryAdd(type, message => read.GetValue(message)?.ToString());
            }
        }

        return this;
    }

    /// <summary><typeparamref name="T"/> by <paramref name="key"/>; a message without a key is in no group.</summary>
    public MessageGrouping By<T>(Func<T, string?> key)
    {
        _keys[typeof(T)] = message => key((T)message);
        return this;
    }

    /// <summary>
    /// The key of the envelope's message, when this process knows its type (a message read from a transport before it
    /// is deserialized has none here, and keeps the key its sender stamped).
    /// </summary>
    public bool TryFindIdentity(Envelope envelope, out string groupId)
    {
        groupId = envelope.Message is { } message && _keys.TryGetValue(message.GetType(), out var key) ? key(message) ?? string.Empty : string.Empty;
        return groupId.Length > 0;
    }
}
