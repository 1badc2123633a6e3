using System.Security.Cryptography;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Payments.Contracts;

namespace Modular.Modules.Payments.Authorizations;

/// <summary>
/// Payments' private keys, the only ones that open the payment tokens Ordering seals (docs/adr/0023). The opened token
/// lives in memory for the call to the provider and is never stored.
/// </summary>
public sealed class PaymentTokens(IReadOnlyList<ECDiffieHellman> privateKeys)
{
    /// <summary>The token to charge; <see cref="UnreadablePaymentTokenException"/> when the sealed token does not open.</summary>
    public string TokenOf(AuthorizePayment command)
    {
        if (command.SealedPaymentToken is not { } sealedToken)
        {
            return command.PaymentToken!;
        }

        try
        {
            return SealedBox.Open(privateKeys, sealedToken, AuthorizePayment.SealingContextFor(command.OrderId));
        }
        catch (CryptographicException unreadable)
        {
            throw new UnreadablePaymentTokenException($"The payment token could not be opened: {unreadable.Message}", unreadable);
        }
    }
}

/// <summary>A sealed token that was altered, sealed for another order, or sealed for a key Payments does not hold.</summary>
public sealed class UnreadablePaymentTokenException(string message, Exception inner) : Exception(message, inner);
