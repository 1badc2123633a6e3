using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Payments.Authorizations;
using Modular.Modules.Payments.Contracts;
using Modular.Modules.Payments.Provider;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Modular.Modules.Payments;

/// <summary>Authorises and refunds order payments through a payment provider.</summary>
public sealed class PaymentsModule : Module<IPaymentsStore>
{
    public override string Name => "Payments";

    public override Assembly ContractsAssembly => typeof(AuthorizePayment).Assembly;

    protected override void ConfigureStore(StoreOptions options) =>
        options.Schema.For<Payment>().Identity(p => p.OrderId).UseOptimisticConcurrency(true);

    protected override void ConfigureServices(IServiceCollection services, ModuleSettings settings)
    {
        services.Configure<SimulatorOptions>(settings.Configuration.GetSection(SimulatorOptions.SectionName));
        var keyFiles = settings.Configuration.GetSection(AuthorizePayment.SealingKeySection).Get<SealingKeyFiles>() ?? new SealingKeyFiles();
        services.AddSingleton(sp => new PaymentTokens(
            keyFiles.PrivateKeys(sp.GetRequiredService<IHostEnvironment>(), AuthorizePayment.SealingKeySection, AuthorizePayment.DevelopmentKeyFile)));
        services.BuildOnStart<PaymentTokens>();
        // A host that registers its own provider adapter first replaces the simulator.
        services.TryAddSingleton<IPaymentProvider, SimulatedPaymentProvider>();
    }

    /// <summary>
    /// A provider that cannot be reached is retried with back-off; a decline is an answer and never retried. An
    /// authorisation still unanswered after the last retry is declined, naming the cause (the order is rejected and its
    /// stock released); a refund goes to the dead letters, to be replayed once the provider is back, because money owed
    /// must not be given up on.
    /// </summary>
    protected override void ConfigureWolverine(WolverineOptions options, ModuleSettings settings)
    {
        var retries = ProviderRetryOptions.Read(settings.Configuration);
        options.OnException<PaymentProviderUnavailableException>()
            .RetryWithCooldown(retries.Cooldowns)
            .Then.ScheduleRetry(retries.Delays)
            .Then.MoveToErrorQueue();
        options.Policies.Add(new DeclineWhenTheProviderStaysUnreachable(retries));
    }

    /// <summary>The authorisation handler's own rules, which come before the module's global ones.</summary>
    private sealed class DeclineWhenTheProviderStaysUnreachable(ProviderRetryOptions retries) : IHandlerPolicy
    {
        public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
        {
            foreach (var chain in chains.Where(c => c.MessageType == typeof(AuthorizePayment)))
            {
                chain.OnException<PaymentProviderUnavailableException>()
                    .RetryWithCooldown(retries.Cooldowns)
                    .Then.ScheduleRetry(retries.Delays)
                    .Then.GiveUpWith(
                        (envelope, unavailable) => new DeclineUnreachableAuthorization((AuthorizePayment)envelope.Message!, envelope.UserName,
                            $"The payment provider could not be reached in {envelope.Attempts} attempts; the last answer: {unavailable.Message}"),
                        "decline the payment, naming the cause");
            }
        }
    }

    /// <summary>
    /// When most recent calls find the provider down, stop taking payment messages for a while instead of hammering
    /// it: they wait in the inbox and are handled once the pause is over.
    /// </summary>
    public override void ConfigureInbox(Endpoint inbox, ModuleSettings settings)
    {
        var breaker = settings.Configuration.GetSection(ProviderCircuitBreakerOptions.SectionName).Get<ProviderCircuitBreakerOptions>()
                      ?? new ProviderCircuitBreakerOptions();
        inbox.CircuitBreakerOptions = new CircuitBreakerOptions
        {
            MinimumThreshold = breaker.MinimumThreshold,
            FailurePercentageThreshold = breaker.FailurePercentageThreshold,
            PauseTime = breaker.PauseTime,
            TrackingPeriod = breaker.TrackingPeriod,
        };
        inbox.CircuitBreakerOptions.Include<PaymentProviderUnavailableException>();
    }

    /// <summary>One order's payment messages (authorise, refund) are handled one after another.</summary>
    public override void GroupMessages(MessageGrouping grouping) => grouping
        .ByProperty(ContractsAssembly, nameof(AuthorizePayment.OrderId))
        .By<DeclineUnreachableAuthorization>(decline => decline.OrderId.ToString());
}

/// <summary>The <c>Payments:CircuitBreaker</c> section.</summary>
public sealed class ProviderCircuitBreakerOptions
{
    public const string SectionName = "Payments:CircuitBreaker";

    /// <summary>Failures seen in the tracking period before the breaker may open.</summary>
    public int MinimumThreshold { get; set; } = 10;

    /// <summary>Share of failed messages, in percent, that opens the breaker.</summary>
    public int FailurePercentageThreshold { get; set; } = 50;

    public TimeSpan PauseTime { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan TrackingPeriod { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>The <c>Payments:ProviderRetries</c> section: how long Payments keeps trying a provider it cannot reach.</summary>
public sealed class ProviderRetryOptions
{
    public const string SectionName = "Payments:ProviderRetries";

    /// <summary>The defaults: give up after about 4 minutes.</summary>
    public static ProviderRetryOptions Default { get; } = new()
    {
        Cooldowns = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500)],
        Delays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)],
    };

    /// <summary>Pauses before the quick retries, which hold the message in memory.</summary>
    public TimeSpan[] Cooldowns { get; set; } = [];

    /// <summary>Delays before the later retries, for which the message is scheduled again and leaves memory.</summary>
    public TimeSpan[] Delays { get; set; } = [];

    /// <summary>The configured schedule; each list left out keeps its default (binding would append to a default list).</summary>
    public static ProviderRetryOptions Read(IConfiguration configuration)
    {
        var configured = configuration.GetSection(SectionName).Get<ProviderRetryOptions>() ?? new ProviderRetryOptions();
        return new ProviderRetryOptions
        {
            Cooldowns = configured.Cooldowns.Length > 0 ? configured.Cooldowns : Default.Cooldowns,
            Delays = configured.Delays.Length > 0 ? configured.Delays : Default.Delays,
        };
    }
}
