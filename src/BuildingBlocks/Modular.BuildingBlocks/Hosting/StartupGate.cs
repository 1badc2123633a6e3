using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>
/// Lets the process start while PostgreSQL does not answer yet, instead of exiting. The hosted services registered
/// before the gate (Wolverine's runtime with its listeners and durability agents, the route check) are held back and
/// started, in their order, once a connection opens. Meanwhile the web server runs: <c>/health/live</c> answers 200,
/// <c>/health/ready</c> 503 naming the cause, every other route 503 with <c>Retry-After</c>. When PostgreSQL answers at
/// once, start-up is what it would be without the gate: the held services start inline and their failures stop the
/// host. When they fail after a wait, the host logs it as Critical, reports it in <c>/health/ready</c> and stops.
/// See docs/adr/0016.
/// </summary>
public sealed class StartupGate : IHostedService, IHealthCheck, IDisposable
{
    /// <summary>The key under which the held hosted services are registered instead of as hosted services.</summary>
    public const string HeldServicesKey = "Modular.StartupGate.Held";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(10);

    // An unreachable host (not a refused port) would otherwise hold each attempt for Npgsql's default 15 s.
    private const int ProbeTimeoutSeconds = 5;

    private readonly string _probeConnectionString;
    private readonly IServiceProvider _services;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _clock;
    private readonly ILogger<StartupGate> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<IHostedService> _started = [];
    private Task _opening = Task.CompletedTask;
    private volatile Exception? _waitingFor;
    private volatile Exception? _failure;
    private long _nextAttemptTicks;
    private volatile bool _open;

    public StartupGate(string connectionString, IServiceProvider services, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<StartupGate> logger)
    {
        _probeConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = ProbeTimeoutSeconds, Pooling = false }.ConnectionString;
        _services = services;
        _lifetime = lifetime;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>True once every held service has started: the process serves normally.</summary>
    public bool IsOpen => _open;

    /// <summary>Whole seconds until the next attempt to reach PostgreSQL, at least 1: what <c>Retry-After</c> says.</summary>
    public int SecondsToNextAttempt =>
        Math.Max(1, (int)Math.Ceiling(TimeSpan.FromTicks(Interlocked.Read(ref _nextAttemptTicks) - _clock.GetUtcNow().UtcTicks).TotalSeconds));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await ProbeAsync(cancellationToken) is not { } unreachable)
        {
            await StartHeldAsync(cancellationToken);
            return;
        }

        Waiting(unreachable, attempt: 1, FirstRetry);
        _opening = Task.Run(() => WaitThenStartAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _opening;
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            var service = _started[i];
            if (service is IHostedLifecycleService lifecycle)
            {
                await lifecycle.StoppingAsync(cancellationToken);
                await service.StopAsync(cancellationToken);
                await lifecycle.StoppedAsync(cancellationToken);
            }
            else
            {
                await service.StopAsync(cancellationToken);
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            _open ? HealthCheckResult.Healthy("Started.")
            // The exceptions (a driver's text naming host, port and database) are for an admin's eyes only (HealthReportWriter).
            : _failure is { } failure ? HealthCheckResult.Unhealthy("Start-up failed; the host stops.", failure)
            : HealthCheckResult.Unhealthy($"Waiting for PostgreSQL before starting messaging; next attempt in {SecondsToNextAttempt} s.", _waitingFor));

    private async Task WaitThenStartAsync(CancellationToken stopping)
    {
        var delay = FirstRetry;
        try
        {
            for (var attempt = 2; ; attempt++)
            {
                await Task.Delay(delay, _clock, stopping);
                if (await ProbeAsync(stopping) is not { } unreachable)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
                Waiting(unreachable, attempt, delay);
            }

            _logger.LogInformation("PostgreSQL answers; starting messaging.");
            await StartHeldAsync(stopping);
            _logger.LogInformation("Start-up finished: the host serves.");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host stopped before PostgreSQL answered: nothing was started, nothing to report.
        }
        catch (Exception e)
        {
            _failure = e;
            _logger.LogCritical(e, "The host could not finish starting once PostgreSQL answered; it stops.");
            _lifetime.StopApplication();
        }
    }

    private async Task StartHeldAsync(CancellationToken cancellationToken)
    {
        foreach (var service in _services.GetKeyedServices<IHostedService>(HeldServicesKey))
        {
            if (service is IHostedLifecycleService lifecycle)
            {
                await lifecycle.StartingAsync(cancellationToken);
                await service.StartAsync(cancellationToken);
                await lifecycle.StartedAsync(cancellationToken);
            }
            else
            {
                await service.StartAsync(cancellationToken);
            }

            _started.Add(service);
        }

        _open = true;
    }

    /// <summary>Null when a connection opens; otherwise why it did not.</summary>
    private async Task<Exception?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_probeConnectionString);
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return e;
        }
    }

    private void Waiting(Exception cause, int attempt, TimeSpan retryIn)
    {
        _waitingFor = cause;
        Interlocked.Exchange(ref _nextAttemptTicks, (_clock.GetUtcNow() + retryIn).UtcTicks);
        _logger.LogWarning("PostgreSQL does not answer (attempt {Attempt}): {Cause}. The host waits for it, retrying in {RetryIn} s; until then it answers 503.",
            attempt, cause.Message, retryIn.TotalSeconds);
    }
}

public static class StartupGateExtensions
{
    /// <summary>
    /// Holds back every hosted service registered so far behind a <see cref="StartupGate"/> on
    /// <paramref name="connectionString"/>, and reports the gate in <c>/health/ready</c>. Hosted services registered
    /// afterwards, the web server among them, start as usual.
    /// </summary>
    public static IServiceCollection AddStartupGate(this IServiceCollection services, string connectionString)
    {
        var held = services.Where(d => d.ServiceType == typeof(IHostedService) && !d.IsKeyedService).ToList();
        foreach (var descriptor in held)
        {
            services.Remove(descriptor);
            services.Add(descriptor switch
            {
                { ImplementationInstance: { } instance } => new ServiceDescriptor(typeof(IHostedService), StartupGate.HeldServicesKey, instance),
                { ImplementationFactory: { } factory } => new ServiceDescriptor(typeof(IHostedService), StartupGate.HeldServicesKey, (sp, _) => factory(sp), descriptor.Lifetime),
                _ => new ServiceDescriptor(typeof(IHostedService), StartupGate.HeldServicesKey, descriptor.ImplementationType!, descriptor.Lifetime),
            });
        }

        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<StartupGate>(sp, connectionString));
        services.AddHostedService(sp => sp.GetRequiredService<StartupGate>());
        services.AddHealthChecks().AddCheck<StartupGate>("startup", tags: [ModuleGateway.ReadyTag, HealthReportWriter.PublicDetailsTag]);
        return services;
    }

    /// <summary>Until the gate opens, every route but the health endpoints answers 503 problem details with <c>Retry-After</c>.</summary>
    public static IApplicationBuilder UseStartupGate(this IApplicationBuilder app)
    {
        var gate = app.ApplicationServices.GetRequiredService<StartupGate>();
        return app.Use(async (context, next) =>
        {
            if (gate.IsOpen || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            var retryAfter = gate.SecondsToNextAttempt;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "The service is starting.",
                    Detail = $"It waits for its database before it takes requests. Retry in {retryAfter} s.",
                },
            });
        });
    }
}
