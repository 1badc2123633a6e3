using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Modular.Testing;

/// <summary>
/// The published host run as an operating-system process of its own, configured by environment variables as in a real
/// deployment: for topologies of several processes, and for killing one of them in the middle of its work.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly string _name;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private HostProcess(string name, IReadOnlyDictionary<string, string> environment, int port)
    {
        _name = name;
        _environment = environment;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Started and not exited (killed, crashed or stopped).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What the process wrote, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Applies the schema of this process's shape (<c>resources setup</c>), then starts it and waits until it is ready.</summary>
    public static async Task<HostProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment)
    {
        var host = await SetUpAsync(name, environment);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            // A process that did not become ready is not left running behind the failed test.
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>Applies the schema of this process's shape (<c>resources setup</c>) and returns the process, not started.</summary>
    public static async Task<HostProcess> SetUpAsync(string name, IReadOnlyDictionary<string, string> environment)
    {
        var host = new HostProcess(name, environment, FreePort());
        var setup = await host.RunToEndAsync("resources setup");
        if (setup != 0)
        {
            throw new InvalidOperationException($"'{name}: resources setup' exited with {setup}:{Environment.NewLine}{host.Log}");
        }

        return host;
    }

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200: it serves.</summary>
    public Task StartAsync() => LaunchAsync("health/ready");

    /// <summary>Starts the process and waits only until <c>/health/live</c> answers 200: it may still wait for its database.</summary>
    public Task StartAliveAsync() => LaunchAsync("health/live");

    private async Task LaunchAsync(string probe)
    {
        _process = Launch($"--urls {BaseAddress}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Host process '{_name}' exited with {_process.ExitCode} during start-up:{Environment.NewLine}{Log}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(BaseAddress, probe))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, but too busy starting to answer within the client's timeout.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Host process '{_name}' did not answer /{probe} with 200 within 60 s:{Environment.NewLine}{Log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Asks the process to stop as an orchestrator does (SIGTERM) and waits for it to exit; returns its exit code, or
    /// null when it was still running after <paramref name="timeout"/> (it is then killed).
    /// </summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } process)
        {
            throw new InvalidOperationException($"Host process '{_name}' is not running.");
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {process.Id}") { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            return null;
        }
    }

    /// <summary>Ends the process at once, as a crash or an out-of-memory kill would: no shutdown, no flush.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    /// <summary>Runs one command of the host's command line (<c>modules</c>, <c>resources setup</c>…) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IReadOnlyDictionary<string, string> environment, string arguments)
    {
        var host = new HostProcess(arguments, environment, port: 0);
        var exitCode = await host.RunToEndAsync(arguments);
        return (exitCode, host.Log);
    }

    private async Task<int> RunToEndAsync(string arguments)
    {
        using var process = Launch(arguments);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private Process Launch(string arguments)
    {
        var dll = ReleaseHost.Dll;
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[TestIdentity.KeyPathSetting.Replace(":", "__", StringComparison.Ordinal)] = TestIdentity.KeyPath;
        // Every process gets the private key unless the test chose which half it holds.
        if (!_environment.ContainsKey(PaymentKeyFiles.PrivateKeySetting) && !_environment.ContainsKey(PaymentKeyFiles.PublicKeySetting))
        {
            start.Environment[PaymentKeyFiles.PrivateKeySetting] = PaymentKeyFiles.PrivateKeyFile;
        }

        foreach (var (key, value) in ModularTestHost.RateLimitsOutOfReach)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName} {start.Arguments}.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
