using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Modular.Modules.Payments.Provider;

public sealed class SimulatorOptions
{
    public const string SectionName = "Payments:Simulator";

    /// <summary>How long every call to the provider takes.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;
}

/// <summary>
/// The built-in provider: behaves like a card processor by rules on the payment token, so tests and demos can drive
/// every outcome.
/// <list type="bullet">
/// <item><c>tok_decline…</c>: declined by the issuer.</item>
/// <item><c>tok_fail_N…</c> (N a number): the first N calls for an order fail as unavailable, later ones authorise.</item>
/// <item><c>tok_down…</c>: every call fails as unavailable.</item>
/// <item>any other token: authorised.</item>
/// </list>
/// Every call takes <see cref="SimulatorOptions.Latency"/>. Attempts are counted in memory, per process.
/// </summary>
public sealed class SimulatedPaymentProvider(IOptions<SimulatorOptions> options) : IPaymentProvider
{
    private readonly ConcurrentDictionary<Guid, int> _attempts = new();
    private readonly ConcurrentDictionary<Guid, int> _voids = new();

    public async Task<AuthorizationOutcome> AuthorizeAsync(Guid orderId, decimal amount, string currency, string paymentToken, CancellationToken cancellation)
    {
        await SimulateLatencyAsync(cancellation);
        var attempt = _attempts.AddOrUpdate(orderId, 1, (_, n) => n + 1);

        if (paymentToken.StartsWith("tok_down", StringComparison.Ordinal))
        {
            throw new PaymentProviderUnavailableException($"Payment provider unavailable (simulated outage, attempt {attempt}).");
        }

        if (FailuresRequested(paymentToken) is { } failures && attempt <= failures)
        {
            throw new PaymentProviderUnavailableException($"Payment provider timed out (simulated failure {attempt} of {failures}).");
        }

        return paymentToken.StartsWith("tok_decline", StringComparison.Ordinal)
            ? new AuthorizationOutcome.Declined("Declined by the card issuer.")
            : new AuthorizationOutcome.Authorized($"auth_{orderId:N}");
    }

    /// <summary>How many times authorisation was attempted for an order, failed attempts included.</summary>
    public int AttemptsFor(Guid orderId) => _attempts.GetValueOrDefault(orderId);

    /// <summary>How many times the order's authorisation was voided.</summary>
    public int VoidsFor(Guid orderId) => _voids.GetValueOrDefault(orderId);

    public async Task RefundAsync(Guid orderId, string authorizationId, decimal amount, string currency, CancellationToken cancellation) =>
        await SimulateLatencyAsync(cancellation);

    public async Task VoidAsync(Guid orderId, CancellationToken cancellation)
    {
        await SimulateLatencyAsync(cancellation);
        _voids.AddOrUpdate(orderId, 1, (_, n) => n + 1);
    }

    private Task SimulateLatencyAsync(CancellationToken cancellation) =>
        options.Value.Latency > TimeSpan.Zero ? Task.Delay(options.Value.Latency, cancellation) : Task.CompletedTask;

    private static int? FailuresRequested(string token)
    {
        const string prefix = "tok_fail_";
        if (!token.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = new string(token[prefix.Length..].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
