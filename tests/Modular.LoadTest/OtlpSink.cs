using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

/// <summary>
/// A stand-in OpenTelemetry collector for scripts/bench-telemetry.sh: it answers every OTLP/HTTP export at once and
/// drops it, so "telemetry on" pays for recording, batching, serialising and sending, and the machine pays for no
/// collector. On SIGTERM it prints what it received, which shows the exporters really were sending.
/// </summary>
internal static class OtlpSink
{
    public static async Task<int> RunAsync(int port)
    {
        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stopping.Cancel();
        });
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = new ConcurrentDictionary<string, (long Exports, long Bytes)>();
        try
        {
            while (true)
            {
                var context = await listener.GetContextAsync().WaitAsync(stopping.Token);
                _ = Task.Run(async () =>
                {
                    var buffer = new byte[64 * 1024];
                    long bytes = 0;
                    for (int read; (read = await context.Request.InputStream.ReadAsync(buffer)) > 0;)
                    {
                        bytes += read;
                    }

                    received.AddOrUpdate(context.Request.Url?.AbsolutePath ?? "?", (1, bytes), (_, total) => (total.Exports + 1, total.Bytes + bytes));
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                });
            }
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("otlp-sink received: " + string.Join(", ", received.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r =>
                string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value.Exports} exports {r.Value.Bytes / 1024} KiB"))));
            return 0;
        }
    }
}
