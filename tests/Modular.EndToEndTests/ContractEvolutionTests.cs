using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Messaging;
using Modular.Host;
using Modular.Modules.Payments.Provider;
using Modular.Testing;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Postgresql;

namespace Modular.EndToEndTests;

/// <summary>
/// <see cref="Modular.Modules.Payments.Contracts.AuthorizePayment"/> as an Ordering built before docs/adr/0023 sent it: the
/// token in plain text, no <c>SealedPaymentToken</c> field at all. Its wire name is the one the message has today.
/// </summary>
[MessageIdentity("Modular.Modules.Payments.Contracts.AuthorizePayment")]
public sealed record AuthorizePaymentBeforeSealing(Guid OrderId, decimal Amount, string Currency, string PaymentToken);

/// <summary>
/// A contract evolved by addition (docs/adr/0034) still takes the old shape from a process that was not redeployed: an
/// old sender, a bare Wolverine process that knows only the old record, puts it on Payments' PostgreSQL queue, and
/// Payments, in a process of its own, reads it into today's record and charges it.
/// </summary>
public sealed class ContractEvolutionTests
{
    [Fact]
    public async Task A_payment_request_in_its_shape_before_sealed_tokens_from_another_process_is_still_charged()
    {
        var database = await PostgresServer.CreateDatabaseAsync("e2e_evolution");
        await using var payments = await ModularTestHost.StartAsync(database, ModuleCatalog.All, new Dictionary<string, string?>
        {
            ["Modular:Modules:0"] = "Payments",
            ["Modular:Transport"] = "PostgreSQL",
        });
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.UseWolverine(options =>
        {
            options.UsePostgresqlPersistenceAndTransport(database, "wolverine_old_ordering", MessagingDefaults.QueueSchema);
            options.PublishMessage<AuthorizePaymentBeforeSealing>().ToPostgresqlQueue("payments");
        });
        using var oldOrdering = builder.Build();
        await oldOrdering.StartAsync();
        var orderId = Guid.NewGuid();

        await oldOrdering.Services.GetRequiredService<IMessageBus>().PublishAsync(new AuthorizePaymentBeforeSealing(orderId, 12.30m, "EUR", "tok_visa"));

        var response = await Eventually.Get(() => payments.Client.GetAsync($"/api/payments/{orderId}"), r => r.IsSuccessStatusCode,
            "Payments to record the old-shape request", TimeSpan.FromSeconds(30));
        var payment = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("Authorized", 12.30m, "EUR"),
            (payment.GetProperty("status").GetString(), payment.GetProperty("amount").GetDecimal(), payment.GetProperty("currency").GetString()));
        Assert.Equal(1, ((SimulatedPaymentProvider)payments.Services.GetRequiredService<IPaymentProvider>()).AttemptsFor(orderId));
        await oldOrdering.StopAsync();
    }
}
