using Testcontainers.RabbitMq;

namespace Modular.Testing;

/// <summary>
/// The RabbitMQ broker the tests run against, one per test run: an AMQP URI in <c>MODULAR_TEST_RABBITMQ</c> wins
/// (scripts/test.sh starts a loopback broker from Debian's rabbitmq-server and sets it); otherwise a Testcontainers
/// container when a Docker engine answers; otherwise a failure that says how to get one.
/// </summary>
public static class RabbitMqServer
{
    public const string EnvironmentVariable = "MODULAR_TEST_RABBITMQ";

    private static readonly Lazy<Task<string>> Uri = new(StartAsync);

    public static Task<string> UriAsync() => Uri.Value;

    private static Task<string> StartAsync() => ExternalServer.FindAsync(EnvironmentVariable, async () =>
        {
            var container = new RabbitMqBuilder("rabbitmq:3.13-alpine").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return container.GetConnectionString();
        },
        $"The tests need RabbitMQ and found none. Either run them with scripts/test.sh (it starts a loopback broker from " +
        $"Debian's rabbitmq-server package), or set {EnvironmentVariable} to an AMQP URI of a broker the tests may use " +
        "(amqp://user:password@host:port/vhost, a vhost of its own), or start a Docker engine for Testcontainers.");
}
