using System.Net.Sockets;
using System.Text;
using Modular.Testing;

namespace Modular.Host.Tests.Input;

/// <summary>One HTTP/1.1 response as it came off the socket.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? ContentType => Headers.GetValueOrDefault("content-type");

    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// Speaks HTTP/1.1 over a plain socket, for requests HttpClient refuses to send or silently repairs: a NUL byte in the
/// path, a header block larger than the server's limit, a malformed request line.
/// </summary>
public static class RawHttp
{
    /// <summary>The header line that makes a raw request an admin's: without it every route answers 401 before it reads anything.</summary>
    public static readonly string Authorization = $"Authorization: {TestIdentity.AdminBearer}\r\n";

    /// <summary>Sends the bytes of one or more requests and reads every response until the server closes or answers them all.</summary>
    public static async Task<IReadOnlyList<RawResponse>> ExchangeAsync(Uri server, byte[] requests, int expectedResponses = 1)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        // Sent while reading: a server may answer and close before it has read everything (a body over its limit).
        var sending = SendQuietlyAsync(stream, requests, timeout.Token);
        var reader = new ResponseReader(stream, timeout.Token);
        var responses = new List<RawResponse>();
        while (responses.Count < expectedResponses && await reader.ReadAsync() is { } response)
        {
            responses.Add(response);
        }

        try
        {
            client.Client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the server.
        }

        await sending;
        return responses;
    }

    private static async Task SendQuietlyAsync(NetworkStream stream, byte[] bytes, CancellationToken cancellation)
    {
        try
        {
            for (var at = 0; at < bytes.Length; at += 64 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(64 * 1024, bytes.Length - at)), cancellation);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server stopped reading; what it answered is what matters.
        }
    }

    public static async Task<RawResponse> SendAsync(Uri server, string head, byte[]? body = null)
    {
        var bytes = Encoding.Latin1.GetBytes(head).Concat(body ?? []).ToArray();
        var responses = await ExchangeAsync(server, bytes);
        return responses.Count == 1 ? responses[0] : throw new IOException("The server closed the connection without answering.");
    }

    private sealed class ResponseReader(NetworkStream stream, CancellationToken cancellation)
    {
        private readonly List<byte> _buffer = [];
        private bool _closed;

        public async Task<RawResponse?> ReadAsync()
        {
            var headEnd = await FillUntilAsync(() => IndexOf("\r\n\r\n"u8));
            if (headEnd < 0)
            {
                return null;
            }

            var head = Encoding.Latin1.GetString(_buffer.GetRange(0, headEnd).ToArray()).Split("\r\n");
            _buffer.RemoveRange(0, headEnd + 4);
            var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var headers = head.Skip(1).Select(line => line.Split(':', 2))
                .GroupBy(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim())
                .ToDictionary(g => g.Key, g => string.Join(", ", g));

            byte[] body;
            if (headers.TryGetValue("content-length", out var length))
            {
                var count = int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
                await FillUntilAsync(() => _buffer.Count >= count ? count : -1);
                body = Take(Math.Min(count, _buffer.Count));
            }
            else if (headers.GetValueOrDefault("transfer-encoding") == "chunked")
            {
                var chunks = new List<byte>();
                while (true)
                {
                    var lineEnd = await FillUntilAsync(() => IndexOf("\r\n"u8));
                    var size = Convert.ToInt32(Encoding.Latin1.GetString(Take(lineEnd)).Split(';')[0], 16);
                    Take(2);
                    await FillUntilAsync(() => _buffer.Count >= size + 2 ? size : -1);
                    chunks.AddRange(Take(size));
                    Take(2);
                    if (size == 0)
                    {
                        break;
                    }
                }

                body = chunks.ToArray();
            }
            else
            {
                await FillUntilAsync(() => -1);
                body = Take(_buffer.Count);
            }

            return new RawResponse(status, headers, body);
        }

        private byte[] Take(int count)
        {
            var taken = _buffer.GetRange(0, count).ToArray();
            _buffer.RemoveRange(0, count);
            return taken;
        }

        private int IndexOf(ReadOnlySpan<byte> marker) => _buffer.ToArray().AsSpan().IndexOf(marker);

        /// <summary>Reads until <paramref name="found"/> answers a position, or the connection closes.</summary>
        private async Task<int> FillUntilAsync(Func<int> found)
        {
            var chunk = new byte[16 * 1024];
            int at;
            while ((at = found()) < 0 && !_closed)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(chunk, cancellation);
                }
                catch (Exception e) when (e is IOException or SocketException)
                {
                    read = 0;
                }

                if (read == 0)
                {
                    _closed = true;
                }

                _buffer.AddRange(chunk.AsSpan(0, read));
            }

            return at;
        }
    }
}
