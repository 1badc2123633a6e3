using System.Security.Cryptography;

namespace Modular.Testing;

/// <summary>
/// The key pair Payments seals tokens with (docs/adr/0023), as a deployment's secret files: outside Development a host
/// creates none by itself. One pair per test run.
/// </summary>
public static class PaymentKeyFiles
{
    public const string PrivateKeySetting = "Payments__TokenKey__PrivateKeyFile";

    public const string PublicKeySetting = "Payments__TokenKey__PublicKeyFile";

    private static readonly Lazy<(string Private, string Public)> Files = new(Write);

    public static string PrivateKeyFile => Files.Value.Private;

    public static string PublicKeyFile => Files.Value.Public;

    private static (string, string) Write()
    {
        var folder = Directory.CreateTempSubdirectory("modular-payment-keys-").FullName;
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var (privateFile, publicFile) = (Path.Combine(folder, "payments-token-key.pem"), Path.Combine(folder, "payments-token-key.pub.pem"));
        File.WriteAllText(privateFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(publicFile, key.ExportSubjectPublicKeyInfoPem());
        return (privateFile, publicFile);
    }
}
