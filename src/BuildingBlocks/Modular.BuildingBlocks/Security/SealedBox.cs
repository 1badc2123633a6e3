using System.Security.Cryptography;
using System.Text;

namespace Modular.BuildingBlocks.Security;

/// <summary>
/// Seals a short secret for the holder of one private key, so that whoever carries or stores the box cannot read it
/// (docs/adr/0023). Hybrid encryption on the BCL alone: an ephemeral ECDH P-256 key agrees a secret with the
/// recipient's public key, HKDF-SHA256 turns it into an AES-256-GCM key, and the box carries the ephemeral public key.
/// The <c>context</c> (for instance the order the secret belongs to) is bound into the key and authenticated, so a box
/// opens only for the context it was sealed for.
/// </summary>
/// <remarks>Text form: <c>sb1.{key id}.{ephemeral public key}.{nonce}.{ciphertext and tag}</c>, base64url parts.</remarks>
public static class SealedBox
{
    private const string Version = "sb1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Seals <paramref name="secret"/> for the holder of the private half of <paramref name="recipient"/>.</summary>
    public static string Seal(ECDiffieHellman recipient, string secret, string context)
    {
        var keyId = KeyIdOf(recipient);
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var ephemeralPublic = ephemeral.ExportSubjectPublicKeyInfo();
        var key = DeriveKey(ephemeral.DeriveRawSecretAgreement(recipient.PublicKey), ephemeralPublic, keyId, context);

        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[plaintext.Length + TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), Encoding.UTF8.GetBytes(context));
        }

        return string.Join('.', Version, keyId, Base64Url(ephemeralPublic), Base64Url(nonce), Base64Url(sealedBytes));
    }

    /// <summary>
    /// Opens a box sealed for one of <paramref name="keys"/> (private keys: the current one and any retired ones still
    /// kept). Throws <see cref="CryptographicException"/> when the box is malformed, was sealed for another key or
    /// another context, or was altered.
    /// </summary>
    public static string Open(IEnumerable<ECDiffieHellman> keys, string box, string context)
    {
        var parts = box.Split('.');
        if (parts.Length != 5 || parts[0] != Version)
        {
            throw new CryptographicException($"Not a sealed box of version {Version}.");
        }

        var keyId = parts[1];
        var recipient = keys.FirstOrDefault(k => KeyIdOf(k) == keyId)
                        ?? throw new CryptographicException($"The box was sealed for key {keyId}, which this process does not hold.");
        try
        {
            var ephemeralPublic = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]);
            var nonce = System.Buffers.Text.Base64Url.DecodeFromChars(parts[3]);
            var sealedBytes = System.Buffers.Text.Base64Url.DecodeFromChars(parts[4]);
            if (nonce.Length != NonceBytes || sealedBytes.Length < TagBytes)
            {
                throw new CryptographicException("The box is truncated.");
            }

            using var ephemeral = ECDiffieHellman.Create();
            ephemeral.ImportSubjectPublicKeyInfo(ephemeralPublic, out _);
            var key = DeriveKey(recipient.DeriveRawSecretAgreement(ephemeral.PublicKey), ephemeralPublic, keyId, context);
            var plaintext = new byte[sealedBytes.Length - TagBytes];
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), plaintext, Encoding.UTF8.GetBytes(context));
            return Encoding.UTF8.GetString(plaintext);
        }
        catch (FormatException malformed)
        {
            throw new CryptographicException("The box is not valid base64url.", malformed);
        }
    }

    /// <summary>Names a key pair by its public half: the first 8 bytes of the SHA-256 of its SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(ECDiffieHellman key) => Base64Url(SHA256.HashData(key.ExportSubjectPublicKeyInfo())[..8]);

    private static byte[] DeriveKey(byte[] sharedSecret, byte[] ephemeralPublic, string keyId, string context) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, 32, salt: ephemeralPublic, info: Encoding.UTF8.GetBytes($"{Version}|{keyId}|{context}"));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
