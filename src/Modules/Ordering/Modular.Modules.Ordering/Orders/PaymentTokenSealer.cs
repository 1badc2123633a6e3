using System.Security.Cryptography;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Payments.Contracts;

namespace Modular.Modules.Ordering.Orders;

/// <summary>
/// Seals the customer's payment token for Payments the moment it arrives, with Payments' public key: Ordering keeps and
/// forwards a token it cannot read, and holds no key that could (docs/adr/0023).
/// </summary>
public sealed class PaymentTokenSealer(ECDiffieHellman paymentsPublicKey)
{
    public string Seal(Guid orderId, string paymentToken) =>
        SealedBox.Seal(paymentsPublicKey, paymentToken, AuthorizePayment.SealingContextFor(orderId));
}
