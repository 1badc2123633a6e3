using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;
using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Payments.Tests;

/// <summary>Payments alone, driven by its commands; what it emits is what Ordering would receive.</summary>
public sealed class PaymentsMessagingTests(PaymentsHost payments) : IClassFixture<PaymentsHost>
{
    private SimulatedPaymentProvider Provider => (SimulatedPaymentProvider)payments.Host.Services.GetRequiredService<IPaymentProvider>();

    [Fact]
    public async Task Authorising_with_a_good_token_answers_PaymentAuthorized_and_records_the_payment()
    {
        var orderId = Guid.NewGuid();

        var tracked = await payments.SendAsync(payments.Authorize(orderId, 19.90m, "EUR", "tok_visa"));

        var authorized = Assert.Single(tracked.Emitted<PaymentAuthorized>());
        Assert.Equal((orderId, 19.90m, "EUR"), (authorized.OrderId, authorized.Amount, authorized.Currency));
        var payment = await payments.Host.Client.GetFromJsonAsync<JsonElement>($"/api/payments/{orderId}");
        Assert.Equal("Authorized", payment.GetProperty("status").GetString());
        Assert.False(payment.TryGetProperty("paymentToken", out _));
    }

    [Fact]
    public async Task A_declined_token_answers_PaymentDeclined_after_one_attempt()
    {
        var orderId = Guid.NewGuid();

        var tracked = await payments.SendAsync(payments.Authorize(orderId, 5m, "EUR", "tok_decline"));

        Assert.Equal("Declined by the card issuer.", Assert.Single(tracked.Emitted<PaymentDeclined>()).Reason);
        Assert.Equal(1, Provider.AttemptsFor(orderId));
    }

    [Fact]
    public async Task A_provider_that_fails_transiently_is_retried_until_it_authorises()
    {
        var orderId = Guid.NewGuid();

        var tracked = await payments.PublishAsync(payments.Authorize(orderId, 5m, "EUR", "tok_fail_2"));

        Assert.Single(tracked.Emitted<PaymentAuthorized>());
        Assert.Equal(3, Provider.AttemptsFor(orderId));
    }

    [Fact]
    public async Task An_authorisation_delivered_twice_charges_once_and_answers_once()
    {
        var command = payments.Authorize(Guid.NewGuid(), 5m, "EUR", "tok_visa");

        await payments.SendAsync(command);
        var again = await payments.SendAsync(command);

        Assert.Empty(again.Emitted<object>());
    }

    [Fact]
    public async Task Refunding_an_authorised_payment_answers_PaymentRefunded_with_its_amount()
    {
        var orderId = Guid.NewGuid();
        await payments.SendAsync(payments.Authorize(orderId, 12m, "USD", "tok_visa"));

        var tracked = await payments.SendAsync(new RefundPayment(orderId));

        var refunded = Assert.Single(tracked.Emitted<PaymentRefunded>());
        Assert.Equal((12m, "USD"), (refunded.Amount, refunded.Currency));
        var payment = await payments.Host.Client.GetFromJsonAsync<JsonElement>($"/api/payments/{orderId}");
        Assert.Equal("Refunded", payment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_refund_that_overtakes_its_authorisation_takes_nothing_and_the_late_authorisation_is_declined()
    {
        var orderId = Guid.NewGuid();

        var refund = await payments.SendAsync(new RefundPayment(orderId));
        var authorize = await payments.SendAsync(payments.Authorize(orderId, 12m, "EUR", "tok_visa"));

        Assert.Equal(0m, Assert.Single(refund.Emitted<PaymentRefunded>()).Amount);
        Assert.Single(authorize.Emitted<PaymentDeclined>());
        Assert.Empty(authorize.Emitted<PaymentAuthorized>());
        Assert.Equal((0, 1), (Provider.AttemptsFor(orderId), Provider.VoidsFor(orderId)));
    }

    [Fact]
    public async Task An_invalid_authorisation_is_refused_before_the_provider_is_called()
    {
        var tracked = await payments.Host.Tracked().DoNotAssertOnExceptionsDetected()
            .PublishMessageAndWaitAsync(new AuthorizePayment(Guid.NewGuid(), -1m, "eur", ""));

        Assert.Single(tracked.MovedToErrorQueue.Envelopes());
        Assert.Empty(tracked.Emitted<PaymentAuthorized>());
    }

    [Fact]
    public async Task A_request_with_a_plain_token_sent_before_tokens_were_sealed_is_still_honoured()
    {
        var orderId = Guid.NewGuid();

        var tracked = await payments.SendAsync(new AuthorizePayment(orderId, 3m, "EUR", "tok_decline"));

        Assert.Equal("Declined by the card issuer.", Assert.Single(tracked.Emitted<PaymentDeclined>()).Reason);
    }

    [Fact]
    public async Task A_token_sealed_for_another_order_is_declined_without_calling_the_provider()
    {
        var orderId = Guid.NewGuid();
        var other = payments.Authorize(Guid.NewGuid(), 3m, "EUR", "tok_visa");

        var tracked = await payments.SendAsync(payments.Authorize(orderId, 3m, "EUR", "tok_visa") with { SealedPaymentToken = other.SealedPaymentToken });

        Assert.StartsWith("The payment token could not be opened", Assert.Single(tracked.Emitted<PaymentDeclined>()).Reason, StringComparison.Ordinal);
        Assert.Equal(0, Provider.AttemptsFor(orderId));
    }

    [Fact]
    public async Task A_request_with_both_a_plain_and_a_sealed_token_is_refused_before_the_provider_is_called()
    {
        var orderId = Guid.NewGuid();

        var tracked = await payments.Host.Tracked().DoNotAssertOnExceptionsDetected()
            .PublishMessageAndWaitAsync(payments.Authorize(orderId, 3m, "EUR", "tok_visa") with { PaymentToken = "tok_visa" });

        Assert.Single(tracked.MovedToErrorQueue.Envelopes());
        Assert.Equal(0, Provider.AttemptsFor(orderId));
    }

    [Fact]
    public async Task The_payment_of_an_unknown_order_answers_404_problem_details()
    {
        var response = await payments.Host.Client.GetAsync($"/api/payments/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
