using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Payments.Contracts;
using Modular.Testing;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Transports;

namespace Modular.Modules.Payments.Tests;

public sealed class CircuitBreakerTests
{
    private static readonly Uri Inbox = new("local://payments");

    [Fact]
    public async Task A_provider_that_keeps_failing_pauses_the_payments_inbox_and_payments_resume_after_the_pause()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("breaker"), [new PaymentsModule()],
            new Dictionary<string, string?>
            {
                ["Payments:CircuitBreaker:MinimumThreshold"] = "3",
                ["Payments:CircuitBreaker:FailurePercentageThreshold"] = "50",
                ["Payments:CircuitBreaker:PauseTime"] = "00:00:04",
            });
        var bus = host.Host.MessageBus();
        var runtime = host.Services.GetRequiredService<IWolverineRuntime>();

        foreach (var _ in Enumerable.Range(0, 6))
        {
            await bus.PublishAsync(new AuthorizePayment(Guid.NewGuid(), 1m, "EUR", "tok_down"));
        }

        await Eventually.Get(() => Task.FromResult(runtime.Endpoints.FindListenerCircuit(Inbox)?.Status),
            status => status is not null and not ListeningStatus.Accepting, "the breaker to pause the payments inbox");

        // Published while the inbox is paused: it waits there, and is handled once the pause is over.
        var waiting = Guid.NewGuid();
        await bus.PublishAsync(new AuthorizePayment(waiting, 1m, "EUR", "tok_visa"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/payments/{waiting}")).StatusCode);

        await Eventually.Get(() => host.Client.GetAsync($"/api/payments/{waiting}"),
            r => r.StatusCode == System.Net.HttpStatusCode.OK, "the waiting payment to be authorised after the pause", TimeSpan.FromSeconds(30));
    }
}
