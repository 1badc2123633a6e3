using System.Collections.Concurrent;
using System.Reflection;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Catalog.Contracts;
using Wolverine;

namespace Modular.Host.Tests;

/// <summary>A small module that exercises the platform: it subscribes to a Catalog event and owns a validated command.</summary>
public sealed class ProbeModule : IModule
{
    public string Name => "Probe";

    public string Schema => "probe";

    public Assembly Assembly => typeof(ProbeModule).Assembly;

    public Assembly ContractsAssembly => typeof(Ping).Assembly;

    public void AddServices(IServiceCollection services, ModuleSettings settings)
    {
        services.AddSingleton<Pings>();
        services.AddSingleton<Fuse>();
        services.AddSingleton<IValidator<Ping>, Ping.Validator>();
    }

    public void ConfigureMessaging(WolverineOptions options, ModuleSettings settings)
    {
        options.Discovery.IncludeType(typeof(PingHandler));
        options.Discovery.IncludeType(typeof(ProductAddedProbeHandler));
        options.Discovery.IncludeType(typeof(FlareHandler));
        options.Discovery.IncludeType(typeof(StallHandler));
        options.Discovery.IncludeType(typeof(ContendHandler));
    }
}

public sealed record Ping(string Text)
{
    public sealed class Validator : AbstractValidator<Ping>
    {
        public Validator() => RuleFor(x => x.Text).NotEmpty();
    }
}

public sealed class Pings
{
    public ConcurrentQueue<string> Handled { get; } = new();
}

public static class PingHandler
{
    public static void Handle(Ping ping, Pings pings) => pings.Handled.Enqueue(ping.Text);
}

public static class ProductAddedProbeHandler
{
    public static void Handle(ProductAdded added, ILogger<ProbeModule> logger) =>
        logger.LogInformation("Probe saw product {Sku}", added.Sku);
}

/// <summary>Fails while the fuse is lit: a message that goes to the dead letters and can be replayed once it is not.</summary>
public sealed record Flare(string Text);

/// <summary>Waits in its handler until the fuse lets it go: a message stuck in the Probe's inbox.</summary>
public sealed record Stall(string Text);

public sealed class Fuse
{
    private volatile bool _lit = true;

    public bool Lit
    {
        get => _lit;
        set => _lit = value;
    }

    public SemaphoreSlim Release { get; } = new(0);
}

public static class FlareHandler
{
    public static void Handle(Flare flare, Fuse fuse, Pings pings)
    {
        if (fuse.Lit)
        {
            throw new InvalidOperationException($"The fuse is lit: {flare.Text}");
        }

        pings.Handled.Enqueue(flare.Text);
    }
}

public static class StallHandler
{
    public static async Task HandleAsync(Stall stall, Fuse fuse, Pings pings, CancellationToken cancellation)
    {
        await fuse.Release.WaitAsync(cancellation);
        pings.Handled.Enqueue(stall.Text);
    }
}

/// <summary>Loses an optimistic-concurrency race on each of its first <see cref="Conflicts"/> attempts, then is handled.</summary>
public sealed record Contend(string Text, int Conflicts);

public static class ContendHandler
{
    public static void Handle(Contend contend, Envelope envelope, Pings pings)
    {
        if (envelope.Attempts <= contend.Conflicts)
        {
            throw new JasperFx.ConcurrencyException(typeof(Contend), contend.Text);
        }

        pings.Handled.Enqueue(contend.Text);
    }
}

public sealed record Whistle(string Text);

/// <summary>A handler Wolverine finds only because a module registers its type: the catalog's routing cannot see it.</summary>
public static class WhistleResponder
{
    public static void Handle(Whistle whistle, ILogger<ProbeModule> logger) => logger.LogInformation("Whistle {Text}", whistle.Text);
}

/// <summary>A module that registers <see cref="WhistleResponder"/> with Wolverine by type.</summary>
public sealed class WhistlingModule : IModule
{
    public string Name => "Whistling";

    public string Schema => "whistling";

    public Assembly Assembly => typeof(WhistlingModule).Assembly;

    public Assembly ContractsAssembly => typeof(Whistle).Assembly;

    public void AddServices(IServiceCollection services, ModuleSettings settings)
    {
    }

    public void ConfigureMessaging(WolverineOptions options, ModuleSettings settings) =>
        options.Discovery.IncludeType(typeof(WhistleResponder));
}
