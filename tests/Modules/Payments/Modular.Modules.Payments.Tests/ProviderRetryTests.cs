using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;
using Modular.Testing;
using Wolverine;

namespace Modular.Modules.Payments.Tests;

public sealed class ProviderRetryTests
{
    [Fact]
    public async Task An_authorisation_the_provider_never_answers_is_declined_after_the_configured_schedule_naming_the_cause()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("retries"), [new PaymentsModule()],
            new Dictionary<string, string?>
            {
                ["Payments:ProviderRetries:Cooldowns:0"] = "00:00:00.010",
                ["Payments:ProviderRetries:Delays:0"] = "00:00:00.100",
                ["Payments:ProviderRetries:Delays:1"] = "00:00:00.100",
            });
        var orderId = Guid.NewGuid();

        await host.Host.MessageBus().PublishAsync(new AuthorizePayment(orderId, 7m, "EUR", "tok_down"));

        var response = await Eventually.Get(() => host.Client.GetAsync($"/api/payments/{orderId}"),
            r => r.IsSuccessStatusCode, "the payment to be recorded", TimeSpan.FromSeconds(30));
        var payment = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Declined", payment.GetProperty("status").GetString());
        // One first attempt, one quick retry, two scheduled ones: the schedule configured, not one the handler assumes.
        Assert.Equal(4, ((SimulatedPaymentProvider)host.Services.GetRequiredService<IPaymentProvider>()).AttemptsFor(orderId));
        Assert.StartsWith("The payment provider could not be reached in 4 attempts", payment.GetProperty("declineReason").GetString(), StringComparison.Ordinal);
    }
}
