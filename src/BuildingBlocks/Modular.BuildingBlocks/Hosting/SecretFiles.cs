using Microsoft.Extensions.Configuration;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>
/// Configuration from a folder of files, one per key, as Docker (<c>secrets:</c>) and Kubernetes (a secret volume) mount
/// secrets: the file <c>ConnectionStrings__Modular</c> holds that connection string. The folder is named by
/// <c>Modular:SecretsPath</c> (environment variable <c>Modular__SecretsPath=/run/secrets</c>); its files override every
/// other source, so a password never has to sit in an environment variable, where child processes, crash dumps and
/// <c>docker inspect</c> can read it. See docs/adr/0022.
/// </summary>
public static class SecretFiles
{
    public const string PathKey = ModularOptions.SectionName + ":" + nameof(ModularOptions.SecretsPath);

    /// <summary>Goes before anything reads configuration: the files' values replace what other sources say.</summary>
    public static IConfigurationManager AddSecretFiles(this IConfigurationManager configuration)
    {
        if (configuration[PathKey] is not { Length: > 0 } path)
        {
            return configuration;
        }

        var folder = Path.GetFullPath(path);
        if (!Directory.Exists(folder))
        {
            // A missing mount is a deployment error; starting without the secrets would only fail later and less clearly.
            throw new InvalidOperationException($"'{PathKey}' names the folder '{folder}', which does not exist.");
        }

        configuration.AddKeyPerFile(folder, optional: false);
        return configuration;
    }
}
