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
        services.AddSingleton<IValidator<Ping>, Ping.Validator>();
    }

    public void ConfigureMessaging(WolverineOptions options)
    {
        options.Discovery.IncludeType(typeof(PingHandler));
        options.Discovery.IncludeType(typeof(ProductAddedProbeHandler));
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
