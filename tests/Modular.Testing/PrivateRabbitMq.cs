namespace Modular.Testing;

/// <summary>
/// A RabbitMQ broker of one test's own, which the test may restart: the shared broker must never be stopped. Debian's
/// rabbitmq-server through scripts/lib/rabbitmq.sh; its state (durable queues and persistent messages) lives in a
/// temporary folder and survives a restart.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _port;

    private PrivateRabbitMq(string folder, string port)
    {
        _folder = folder;
        _port = port;
    }

    public string Uri => $"amqp://guest:guest@127.0.0.1:{_port}";

    public static async Task<PrivateRabbitMq> StartAsync()
    {
        var folder = await Scripts.RunAsync("mktemp -d \"${TMPDIR:-/tmp}/modular-test-rabbitmq.XXXXXX\"");
        // The node also listens on AMQP + 20000 (distribution) and AMQP + 1000 (epmd): stay well below 45535.
        var port = await Scripts.RunAsync("pg_free_port 5800");
        var broker = new PrivateRabbitMq(folder, port);
        await broker.StartAgainAsync();
        return broker;
    }

    public Task StopAsync() => Scripts.RunAsync("rmq_stop \"$1\"", _folder);

    public Task StartAgainAsync() => Scripts.RunAsync("rmq_start \"$1\" \"$2\" >&2", _folder, _port);

    public async ValueTask DisposeAsync()
    {
        await Scripts.RunAsync("rmq_stop \"$1\"; rm -rf \"$1\"", _folder);
    }
}
