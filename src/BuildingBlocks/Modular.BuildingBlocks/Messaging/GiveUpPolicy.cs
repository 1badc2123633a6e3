using Wolverine;
using Wolverine.ErrorHandling;

namespace Modular.BuildingBlocks.Messaging;

/// <summary>
/// The last step of an error policy that answers instead of giving up silently: when its retries are used up, the message
/// is replaced by another that its module handles like any other (a decline, naming the cause), rather than moved to the
/// dead letters. Modules stay free of message buses (their handlers return their effects); this is the one place that
/// sends from an error policy.
/// </summary>
public static class GiveUpPolicy
{
    /// <param name="actions">The policy so far, e.g. <c>OnException&lt;T&gt;().RetryWithCooldown(...).Then</c>.</param>
    /// <param name="replacement">The message that replaces the one given up on, from its envelope and the last failure.</param>
    /// <param name="description">What giving up does, for Wolverine's description of the policy.</param>
    public static IAdditionalActions GiveUpWith(this IFailureActions actions, Func<Envelope, Exception, object> replacement, string description) =>
        actions.CustomAction(async (_, lifecycle, exception) =>
        {
            await lifecycle.SendAsync(replacement(lifecycle.Envelope!, exception));
            // Stored in the durable inbox before this message is marked handled: a crash between the two sends the
            // replacement twice, which its handler must absorb.
            await lifecycle.FlushOutgoingMessagesAsync();
            await lifecycle.CompleteAsync();
        }, description);
}
