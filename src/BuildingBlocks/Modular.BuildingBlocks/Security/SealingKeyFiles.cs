using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Modular.BuildingBlocks.Security;

/// <summary>
/// A configuration section naming the PEM files of a <see cref="SealedBox"/> key pair: the process that opens boxes
/// needs <see cref="PrivateKeyFile"/>, a process that only seals needs <see cref="PublicKeyFile"/>. In Development
/// a missing private key file is created, by default at a git-ignored path under the content root, so that the system
/// runs with no set-up; anywhere else the files must be given. Relative paths start at the content root.
/// </summary>
public sealed class SealingKeyFiles
{
    /// <summary>PKCS#8 PEM of the current private key (P-256); its public half seals when <see cref="PublicKeyFile"/> is not set.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>SubjectPublicKeyInfo PEM of the current public key, for a process that seals and never opens.</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>Private keys replaced by the current one, kept only until nothing sealed for them is waiting to be opened.</summary>
    public string[] RetiredPrivateKeyFiles { get; set; } = [];

    /// <summary>The keys that open boxes: the current private key first, then the retired ones.</summary>
    public IReadOnlyList<ECDiffieHellman> PrivateKeys(IHostEnvironment environment, string section, string developmentFile) =>
        [CurrentPrivateKey(environment, section, developmentFile), ..RetiredPrivateKeyFiles.Select(file => Read(environment, file, $"{section}:RetiredPrivateKeyFiles"))];

    /// <summary>The key that seals boxes: <see cref="PublicKeyFile"/>, or else the public half of the current private key.</summary>
    public ECDiffieHellman PublicKey(IHostEnvironment environment, string section, string developmentFile)
    {
        if (string.IsNullOrWhiteSpace(PublicKeyFile))
        {
            return CurrentPrivateKey(environment, section, developmentFile);
        }

        return Read(environment, PublicKeyFile, $"{section}:PublicKeyFile");
    }

    private ECDiffieHellman CurrentPrivateKey(IHostEnvironment environment, string section, string developmentFile)
    {
        var configured = !string.IsNullOrWhiteSpace(PrivateKeyFile);
        if (!configured && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"No sealing key: set '{section}:PrivateKeyFile' (or, in a process that only seals, " +
                $"'{section}:PublicKeyFile') to a PEM file (created there if it does not exist; every process of the deployment must read the same one). See docs/adr/0023.");
        }

        var path = Path.GetFullPath(configured ? PrivateKeyFile! : developmentFile, environment.ContentRootPath);
        // A named file that does not exist yet is created, as the token signing key is: a throwaway deployment (the
        // release check, the benchmark) names a fresh path; a real one mounts the file every process shares.
        if (!File.Exists(path))
        {
            CreatePrivateKey(path);
        }

        return Read(environment, path, $"{section}:PrivateKeyFile");
    }

    private static ECDiffieHellman Read(IHostEnvironment environment, string file, string setting)
    {
        var path = Path.GetFullPath(file, environment.ContentRootPath);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"'{setting}' names {path}, which does not exist.");
        }

        var key = ECDiffieHellman.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    /// <summary>Writes a new key readable by its owner only; when several processes race to create it, the first one wins.</summary>
    private static void CreatePrivateKey(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}

public static class SealingKeyServices
{
    /// <summary>
    /// Builds <typeparamref name="T"/> when the host starts, so a missing or unreadable key stops start-up instead of
    /// failing the first message that needs it. Commands that build the host without starting it (codegen, resources)
    /// need no key.
    /// </summary>
    public static IServiceCollection BuildOnStart<T>(this IServiceCollection services) where T : class
    {
        services.AddOptions<StartupCheck<T>>().Validate<T>((_, _) => true).ValidateOnStart();
        return services;
    }

    private sealed class StartupCheck<T>;
}
