using System.Diagnostics;

namespace Modular.Testing;

/// <summary>Runs the repository's shell functions (scripts/lib/*.sh), the same ones scripts/test.sh and scripts/run.sh use.</summary>
public static class Scripts
{
    /// <summary>
    /// Runs <paramref name="command"/> in bash after sourcing scripts/lib/postgres.sh and scripts/lib/rabbitmq.sh, with
    /// <paramref name="arguments"/> as $1, $2…; returns what it printed on standard output, or throws with its output.
    /// </summary>
    public static async Task<string> RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = ReleaseHost.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"source scripts/lib/postgres.sh && source scripts/lib/rabbitmq.sh && {command}");
        start.ArgumentList.Add("modular-test");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' exited with {process.ExitCode}:{Environment.NewLine}{await output}{await errors}");
        }

        return (await output).Trim();
    }
}
