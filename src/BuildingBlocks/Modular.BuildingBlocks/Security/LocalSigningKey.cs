using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Modular.BuildingBlocks.Security;

/// <summary>
/// The key that signs and checks tokens when no OpenID Connect provider is configured: an ECDSA P-256 key (ES256) in a
/// PEM file, created on first use. Several processes may start at once: the first to create the file wins, and the
/// others read it.
/// </summary>
public static class LocalSigningKey
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    public static ECDsaSecurityKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            TryCreate(path);
        }

        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(path));
        // The key id lets a verifier pick the key, and changes when the key file is replaced.
        var id = Base64UrlEncoder.Encode(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo())[..12]);
        return new ECDsaSecurityKey(ecdsa) { KeyId = id };
    }

    private static void TryCreate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pending = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(pending, ecdsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(pending, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(pending, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(pending);
        }
    }
}
