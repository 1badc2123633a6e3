using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// Kestrel refuses a request it cannot parse (a NUL byte in the path, a header block over its limit, a malformed
/// request line) itself, before any middleware runs, with an empty 4xx and a closed connection; ASP.NET Core has no
/// hook to shape that answer. Kestrel does announce each refusal first, on its <see cref="DiagnosticListener"/>
/// (<c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c>). This class listens for that announcement and, as a
/// connection middleware, writes a problem-details body in place of the empty one on that connection, logging one
/// Warning. Every other byte on every connection passes through untouched. See docs/adr/0014.
/// </summary>
public sealed class KestrelRejections(ILogger<KestrelRejections> logger) : IObserver<KeyValuePair<string, object?>>
{
    private const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";
    private readonly ConcurrentDictionary<string, int> _refused = new(StringComparer.Ordinal);
    private int _pending;

    /// <summary>Puts the middleware on every endpoint Kestrel listens on, and the listener on the host's diagnostics.</summary>
    public static void Apply(KestrelServerOptions kestrel) => kestrel.ConfigureEndpointDefaults(listen =>
    {
        var rejections = listen.ApplicationServices.GetRequiredService<KestrelRejections>();
        listen.Use(next => async connection =>
        {
            connection.Transport = new Wrapped(connection.Transport.Input, new ProblemWriter(connection.Transport.Output, connection.ConnectionId, rejections));
            try
            {
                await next(connection);
            }
            finally
            {
                rejections.TakeRefusal(connection.ConnectionId);
            }
        });
    });

    public IDisposable Listen(DiagnosticListener diagnostics) => diagnostics.Subscribe(this, name => name == BadRequestEvent);

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection request
            || request.Get<IHttpResponseFeature>() is not { HasStarted: false } response
            || request.Get<IHttpConnectionFeature>()?.ConnectionId is not { } connectionId
            || request.Get<IHttpRequestFeature>() is { Method: "HEAD" } or { Protocol: "HTTP/2" or "HTTP/3" })
        {
            return;
        }

        // An unsupported HTTP version (505) is the client's doing too; a 5xx would page someone for it.
        var status = response.StatusCode >= StatusCodes.Status500InternalServerError ? StatusCodes.Status400BadRequest : response.StatusCode;
        if (_refused.TryAdd(connectionId, status))
        {
            Interlocked.Increment(ref _pending);
        }

        logger.LogWarning("Kestrel refused a malformed request on connection {ConnectionId} with {Status}: {Reason}",
            connectionId, status, request.Get<IBadRequestExceptionFeature>()?.Error?.Message);
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    /// <summary>Asked on every write of every connection: a counter read keeps the common case (no refusal anywhere) cheap.</summary>
    private int? TakeRefusal(string connectionId)
    {
        if (Volatile.Read(ref _pending) == 0 || !_refused.TryRemove(connectionId, out var status))
        {
            return null;
        }

        Interlocked.Decrement(ref _pending);
        return status;
    }

    /// <summary>The answer Kestrel would have sent, with a problem-details body; null if it is not the expected empty one.</summary>
    private static byte[]? WithProblemBody(ReadOnlySpan<byte> kestrelAnswer, int status)
    {
        const string emptyBody = "\r\nContent-Length: 0\r\n";
        var head = Encoding.Latin1.GetString(kestrelAnswer);
        var statusLineEnd = head.IndexOf("\r\n", StringComparison.Ordinal);
        if (!head.StartsWith("HTTP/1.", StringComparison.Ordinal) || !head.EndsWith("\r\n\r\n", StringComparison.Ordinal)
            || !head.Contains(emptyBody, StringComparison.Ordinal) || statusLineEnd < 0)
        {
            return null;
        }

        head = $"{head[..8]} {status} {ReasonPhrases.GetReasonPhrase(status)}{head[statusLineEnd..]}";

        var body = JsonSerializer.SerializeToUtf8Bytes(new ProblemDetails
        {
            Type = status <= StatusCodes.Status417ExpectationFailed ? $"https://tools.ietf.org/html/rfc9110#section-15.5.{status - 399}" : null,
            Title = ReasonPhrases.GetReasonPhrase(status),
            Status = status,
            Detail = status switch
            {
                StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are larger than this server accepts.",
                StatusCodes.Status414RequestUriTooLong => "The request target is longer than this server accepts.",
                _ => "The server could not parse the request line or headers, for example a NUL byte (%00) in the path.",
            },
        }, JsonSerializerOptions.Web);
        var rewritten = head.Replace(emptyBody, $"\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n", StringComparison.Ordinal);
        return [.. Encoding.Latin1.GetBytes(rewritten), .. body];
    }

    private sealed class Wrapped(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }

    /// <summary>
    /// Passes every write straight through, except on a connection Kestrel has just announced a refusal for: its
    /// empty answer (the last thing Kestrel writes before closing) is held back and replaced on flush.
    /// </summary>
    private sealed class ProblemWriter(PipeWriter inner, string connectionId, KestrelRejections rejections) : PipeWriter
    {
        private ArrayBufferWriter<byte>? _held;
        private int _status;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + (_held?.WrittenCount ?? 0);

        public override Memory<byte> GetMemory(int sizeHint = 0) => Holding() ? _held!.GetMemory(sizeHint) : inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => Holding() ? _held!.GetSpan(sizeHint) : inner.GetSpan(sizeHint);

        public override void Advance(int bytes)
        {
            if (_held is not null)
            {
                _held.Advance(bytes);
            }
            else
            {
                inner.Advance(bytes);
            }
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release();
            return inner.FlushAsync(cancellationToken);
        }

        public override void Complete(Exception? exception = null)
        {
            Release();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Release();
            return inner.CompleteAsync(exception);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        private bool Holding()
        {
            if (_held is null && rejections.TakeRefusal(connectionId) is { } status)
            {
                _held = new ArrayBufferWriter<byte>();
                _status = status;
            }

            return _held is not null;
        }

        /// <summary>Writes what was held: the problem-details answer, or the bytes as they were if they are not Kestrel's empty 4xx.</summary>
        private void Release()
        {
            if (_held is not { WrittenCount: > 0 } held)
            {
                return;
            }

            inner.Write(WithProblemBody(held.WrittenSpan, _status) ?? held.WrittenSpan.ToArray());
            held.Clear();
        }
    }
}
