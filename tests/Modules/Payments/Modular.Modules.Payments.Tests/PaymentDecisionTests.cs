using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Modular.Modules.Payments.Authorizations;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;
using Wolverine;

namespace Modular.Modules.Payments.Tests;

/// <summary>The payment rules and the simulated provider, without a host or a database.</summary>
public sealed class PaymentDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 11, 0, 0, TimeSpan.Zero);
    private static readonly AuthorizePayment Command = new(Guid.NewGuid(), 42.50m, "EUR", "tok_visa");
    private static readonly TimeProvider Clock = TimeProvider.System;
    private static readonly PaymentTokens Tokens = new([ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256)]);

    [Fact]
    public void An_authorisation_records_the_payment_and_answers_PaymentAuthorized()
    {
        var (payment, answer) = Payment.Record(Command, "alice", new AuthorizationOutcome.Authorized("auth_1"), Now);

        Assert.Equal(new PaymentAuthorized(Command.OrderId, "auth_1", 42.50m, "EUR", Now), answer);
        Assert.Equal((PaymentStatus.Authorized, 42.50m), (payment.Status, payment.Refundable));
    }

    [Fact]
    public void A_decline_records_the_reason_and_answers_PaymentDeclined()
    {
        var (payment, answer) = Payment.Record(Command, "alice", new AuthorizationOutcome.Declined("no funds"), Now);

        Assert.Equal(new PaymentDeclined(Command.OrderId, "no funds", Now), answer);
        Assert.Equal((PaymentStatus.Declined, 0m), (payment.Status, payment.Refundable));
    }

    [Fact]
    public void A_payment_is_refunded_once()
    {
        var (payment, _) = Payment.Record(Command, "alice", new AuthorizationOutcome.Authorized("auth_1"), Now);

        var first = payment.Refund(Now);
        var second = payment.Refund(Now);

        Assert.Equal((42.50m, "EUR"), (first.Amount, first.Currency));
        Assert.Equal((0m, ""), (second.Amount, second.Currency));
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
    }

    [Fact]
    public void A_refund_before_any_payment_gives_back_nothing()
    {
        var refunded = Payment.CancelledBeforeAuthorization(Command.OrderId, Now).Refund(Now);

        Assert.Equal(0m, refunded.Amount);
    }

    [Fact]
    public async Task An_unreachable_provider_throws_so_that_the_module_error_policy_decides_what_comes_next()
    {
        var command = Command with { OrderId = Guid.NewGuid(), PaymentToken = "tok_down" };

        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() =>
            AuthorizePaymentHandler.HandleAsync(command, null, Simulator(), Tokens, new Envelope(), Clock, CancellationToken.None));
    }

    [Theory]
    [InlineData("tok_visa", "Authorized")]
    [InlineData("tok_decline", "Declined")]
    [InlineData("tok_decline_insufficient_funds", "Declined")]
    public async Task The_simulator_answers_by_token(string token, string outcome)
    {
        var provider = Simulator();

        var result = await provider.AuthorizeAsync(Guid.NewGuid(), 1m, "EUR", token, CancellationToken.None);

        Assert.Equal(outcome, result.GetType().Name);
    }

    [Fact]
    public async Task The_simulator_fails_the_first_N_calls_for_an_order_then_authorises()
    {
        var provider = Simulator();
        var orderId = Guid.NewGuid();

        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => provider.AuthorizeAsync(orderId, 1m, "EUR", "tok_fail_2", CancellationToken.None));
        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => provider.AuthorizeAsync(orderId, 1m, "EUR", "tok_fail_2", CancellationToken.None));
        var third = await provider.AuthorizeAsync(orderId, 1m, "EUR", "tok_fail_2", CancellationToken.None);

        Assert.IsType<AuthorizationOutcome.Authorized>(third);
    }

    [Fact]
    public async Task The_simulator_takes_the_configured_latency()
    {
        var provider = Simulator(TimeSpan.FromMilliseconds(200));

        var watch = Stopwatch.StartNew();
        await provider.AuthorizeAsync(Guid.NewGuid(), 1m, "EUR", "tok_visa", CancellationToken.None);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(190), $"took {watch.Elapsed}");
    }

    private static SimulatedPaymentProvider Simulator(TimeSpan? latency = null) =>
        new(Options.Create(new SimulatorOptions { Latency = latency ?? TimeSpan.Zero }));
}
