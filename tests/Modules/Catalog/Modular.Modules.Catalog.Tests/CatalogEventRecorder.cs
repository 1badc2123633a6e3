using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Catalog.Contracts;
using Wolverine;

namespace Modular.Modules.Catalog.Tests;

/// <summary>
/// A stand-in for a module that subscribes to Catalog's events (as Inventory and Ordering will), recording
/// what it handles so tests can see what Catalog really published.
/// </summary>
public sealed class CatalogEventRecorderModule : IModule
{
    public string Name => "Recorder";

    public string Schema => "recorder";

    public Assembly Assembly => typeof(CatalogEventRecorderModule).Assembly;

    public Assembly ContractsAssembly => typeof(CatalogEventRecorderModule).Assembly;

    public void AddServices(IServiceCollection services, ModuleSettings settings) => services.AddSingleton<RecordedEvents>();

    public void ConfigureMessaging(WolverineOptions options, ModuleSettings settings)
    {
        options.Discovery.IncludeType(typeof(ProductAddedRecorderHandler));
        options.Discovery.IncludeType(typeof(ProductPriceChangedRecorderHandler));
        options.Discovery.IncludeType(typeof(ProductDiscontinuedRecorderHandler));
    }
}

public sealed class RecordedEvents
{
    private readonly ConcurrentQueue<object> _events = new();

    public void Add(object message) => _events.Enqueue(message);

    public IReadOnlyList<T> Of<T>() => _events.OfType<T>().ToList();
}

public static class ProductAddedRecorderHandler
{
    public static void Handle(ProductAdded message, RecordedEvents recorded) => recorded.Add(message);
}

public static class ProductPriceChangedRecorderHandler
{
    public static void Handle(ProductPriceChanged message, RecordedEvents recorded) => recorded.Add(message);
}

public static class ProductDiscontinuedRecorderHandler
{
    public static void Handle(ProductDiscontinued message, RecordedEvents recorded) => recorded.Add(message);
}
