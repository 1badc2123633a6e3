using DotNet.Testcontainers.Configurations;

namespace Modular.Testing;

/// <summary>How the tests find a server they need: the environment names one, else Testcontainers when a Docker engine answers, else a failure that says what to do.</summary>
internal static class ExternalServer
{
    public static async Task<string> FindAsync(string environmentVariable, Func<Task<string>> startContainer, string whenMissing)
    {
        var configured = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is null)
        {
            throw new InvalidOperationException(whenMissing);
        }

        return await startContainer();
    }
}
