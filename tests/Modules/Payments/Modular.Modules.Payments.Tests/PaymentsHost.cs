using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Payments.Contracts;
using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Payments.Tests;

/// <summary>Payments hosted alone, driven by the messages Ordering would send it.</summary>
public sealed class PaymentsHost : IAsyncLifetime
{
    public ModularTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("payments"), [new PaymentsModule()]);

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    /// <summary>What Ordering sends: the token sealed with Payments' public key, for this order.</summary>
    public AuthorizePayment Authorize(Guid orderId, decimal amount, string currency, string token) =>
        new(orderId, amount, currency, null, SealedBox.Seal(PublicKey, token, AuthorizePayment.SealingContextFor(orderId)));

    /// <summary>The public half of the key pair the host created in Development.</summary>
    public ECDiffieHellman PublicKey => new SealingKeyFiles().PublicKey(
        Host.Services.GetRequiredService<IHostEnvironment>(), AuthorizePayment.SealingKeySection, AuthorizePayment.DevelopmentKeyFile);

    public Task<ITrackedSession> SendAsync(object message) => Host.SendAsync(message);

    public Task<ITrackedSession> PublishAsync(object message) => Host.PublishAsync(message);
}
