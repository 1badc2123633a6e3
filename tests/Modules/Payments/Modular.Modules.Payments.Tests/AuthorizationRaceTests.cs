using System.Net.Http.Json;
using System.Text.Json;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;
using Modular.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Modular.Modules.Payments.Tests;

public sealed class AuthorizationRaceTests
{
    [Fact]
    public async Task A_refund_that_lands_while_the_provider_authorises_voids_that_authorisation_and_declines()
    {
        var provider = new GatedProvider();
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("authrace"), [new PaymentsModule()],
            services: services => services.AddSingleton<IPaymentProvider>(provider));
        var orderId = Guid.NewGuid();

        // The authorisation reaches the provider and waits there; the refund records the cancellation meanwhile.
        await host.Host.MessageBus().PublishAsync(new AuthorizePayment(orderId, 10m, "EUR", "tok_visa"));
        await provider.Called.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await host.Host.MessageBus().InvokeAsync(new RefundPayment(orderId));
        provider.Answer.SetResult();

        await Eventually.Get(() => Task.FromResult(provider.Voids), n => n == 1, "the provider's authorisation to be voided");
        var payment = await host.Client.GetFromJsonAsync<JsonElement>($"/api/payments/{orderId}");
        Assert.Equal("CancelledBeforeAuthorization", payment.GetProperty("status").GetString());
    }

    private sealed class GatedProvider : IPaymentProvider
    {
        private int _voids;

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Voids => Volatile.Read(ref _voids);

        public async Task<AuthorizationOutcome> AuthorizeAsync(Guid orderId, decimal amount, string currency, string paymentToken, CancellationToken cancellation)
        {
            Called.TrySetResult();
            await Answer.Task.WaitAsync(cancellation);
            return new AuthorizationOutcome.Authorized($"auth_{orderId:N}");
        }

        public Task RefundAsync(Guid orderId, string authorizationId, decimal amount, string currency, CancellationToken cancellation) => Task.CompletedTask;

        public Task VoidAsync(Guid orderId, CancellationToken cancellation)
        {
            Interlocked.Increment(ref _voids);
            return Task.CompletedTask;
        }
    }
}
