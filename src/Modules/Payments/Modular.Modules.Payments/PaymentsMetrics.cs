using Modular.BuildingBlocks.Telemetry;

namespace Modular.Modules.Payments;

/// <summary>
/// Payments' answers and its provider's health. The breaker that pauses Payments' inbox is Wolverine's: its state shows
/// as <c>modular.inbox.paused</c> for the module (<see cref="ModuleMessageMetrics"/>).
/// </summary>
public static class PaymentsMetrics
{
    public const string OperationLabel = "operation";

    private static readonly ModuleMeter Meter = new("Payments");

    public static readonly ModuleCounter Declined = Meter.Counter("modular.payments.declined", "{payment}", "Payment authorisations declined");

    /// <summary>Calls that could not reach the provider, each retry included, by <c>operation</c> (authorize, refund).</summary>
    public static readonly ModuleCounter ProviderFailures = Meter.Counter(
        "modular.payment_provider.failures", "{call}", "Calls to the payment provider that could not reach it");
}
