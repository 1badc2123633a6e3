using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>
/// A minimal endpoint (Kestrel answering "ok", nothing else in the pipeline) in a child process of the load generator:
/// the most GET requests a second this machine serves to this client, shown beside GET product so that the host's
/// figure reads as a share of what is possible here.
/// </summary>
internal sealed class CeilingServer : IDisposable
{
    public const string Command = "ceiling-server";
    public const string Route = "/ceiling";

    private readonly Process process;

    private CeilingServer(Process process, Uri url)
    {
        this.process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Starts this program again as the server, which prints its address once it listens.</summary>
    public static async Task<CeilingServer> StartAsync()
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The load generator's executable is unknown.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(CeilingServer).Assembly.Location);
        }

        start.ArgumentList.Add(Command);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The ceiling server did not start.");
        var address = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new CeilingServer(process, new Uri(address ?? throw new InvalidOperationException("The ceiling server exited before it listened.")));
    }

    public static async Task<int> RunAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapGet(Route, () => Results.Text("ok"));
        await app.StartAsync();
        Console.WriteLine(app.Urls.First());
        await app.WaitForShutdownAsync();
        return 0;
    }

    public void Dispose()
    {
        process.Kill();
        process.WaitForExit();
        process.Dispose();
    }
}
