using System.Diagnostics;

namespace Modular.Testing;

/// <summary>
/// The Release build of the host: the artefact every deployment shape runs, with its pre-generated handler code.
/// Built once per test run, incrementally; not at all when <see cref="BuiltSetting"/> says the caller has just built it, as
/// scripts/test.sh does (an up-to-date build still evaluates every project: 8 s idle, over 30 s on a loaded 2-core CI).
/// </summary>
public static class ReleaseHost
{
    /// <summary>The environment variable that, set to 1, says the Release host is built from this source tree.</summary>
    public const string BuiltSetting = "MODULAR_RELEASE_HOST_BUILT";

    private static readonly Lazy<string> Built = new(Build);

    public static string Dll => Built.Value;

    private static string Build()
    {
        var root = RepositoryRoot();
        var dll = Path.Combine(root, "src", "Host", "Modular.Host", "bin", "Release", "net10.0", "Modular.Host.dll");
        if (Environment.GetEnvironmentVariable(BuiltSetting) == "1" && File.Exists(dll))
        {
            return dll;
        }

        var project = Path.Combine(root, "src", "Host", "Modular.Host", "Modular.Host.csproj");
        using var build = Process.Start(new ProcessStartInfo("dotnet", $"build \"{project}\" -c Release --nologo -v quiet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"'dotnet build {project} -c Release' failed:{Environment.NewLine}{output.Result}{errors}");
        }

        return dll;
    }

    /// <summary>The folder of Modular.sln this test run was built from.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Modular.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Modular.sln above {AppContext.BaseDirectory}: the tests run the host built from this source tree.");
    }
}
