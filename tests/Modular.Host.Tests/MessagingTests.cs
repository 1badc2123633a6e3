using System.Net.Http.Json;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Logging;
using Modular.Modules.Catalog;
using Modular.Testing;
using Serilog.Core;
using Serilog.Events;
using Wolverine;

namespace Modular.Host.Tests;

/// <summary>The shared messaging set-up: validation before handlers, dead letters, and module names on logs.</summary>
public sealed class MessagingTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ModularTestHost _host = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync("messaging");
        _host = await ModularTestHost.StartAsync(_database, [new CatalogModule(), new ProbeModule()],
            new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" },
            services => services.AddSingleton<ILogEventSink>(_logs));
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task An_invalid_command_is_refused_before_its_handler_runs()
    {
        var bus = _host.Host.MessageBus();

        var failure = await Assert.ThrowsAsync<ValidationException>(() => bus.InvokeAsync(new Ping("")));

        Assert.Contains(failure.Errors, e => e.PropertyName == nameof(Ping.Text));
        Assert.Empty(_host.Services.GetRequiredService<Pings>().Handled);
    }

    [Fact]
    public async Task An_invalid_message_goes_to_the_dead_letters_at_once_naming_the_validation_failure()
    {
        var bus = _host.Host.MessageBus();

        await bus.PublishAsync(new Ping(""));
        await bus.PublishAsync(new Ping("valid"));

        await Eventually.Get(() => Task.FromResult(_host.Services.GetRequiredService<Pings>().Handled.Count), n => n == 1, "the valid ping");
        var deadLetters = await Eventually.Get(
            () => Sql.CountAsync(_database, "select count(*) from wolverine.wolverine_dead_letters where exception_type like '%ValidationException%'"),
            n => n == 1, "the invalid ping in the dead letters");
        Assert.Equal(1, deadLetters);
        Assert.Equal(["valid"], _host.Services.GetRequiredService<Pings>().Handled);
    }

    [Fact]
    public async Task Log_events_written_while_a_module_handles_a_message_carry_the_module_name()
    {
        var sku = $"LOG-{Guid.NewGuid().ToString("N")[..8]}".ToUpperInvariant();

        await _host.Client.PostAsJsonAsync("/api/catalog/products", new { sku, name = "Log", price = 1m, currency = "EUR" });

        var probe = await Eventually.Get(
            () => Task.FromResult(_logs.Events.FirstOrDefault(e => e.MessageTemplate.Text.StartsWith("Probe saw product", StringComparison.Ordinal)
                                                                   && e.RenderMessage(null).Contains(sku, StringComparison.Ordinal))),
            e => e is not null, "the probe's log line");
        Assert.Equal("\"Probe\"", probe!.Properties[ModuleEnricher.PropertyName].ToString());
        Assert.All(_logs.Events, e => Assert.True(e.Properties.ContainsKey(ModuleEnricher.PropertyName), e.RenderMessage(null)));
    }

    [Theory]
    [InlineData("Modular.Modules.Catalog.Products.AddProductEndpoint", "Catalog")]
    [InlineData("Modular.Modules.Ordering", "Ordering")]
    [InlineData("Wolverine.Runtime.WolverineRuntime", "Host")]
    public void Outside_a_module_scope_the_module_comes_from_the_logger_category(string sourceContext, string module)
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, MessageTemplate.Empty,
            [new LogEventProperty(Constants.SourceContextPropertyName, new ScalarValue(sourceContext))]);

        new ModuleEnricher().Enrich(logEvent, new PropertyFactory());

        Assert.Equal($"\"{module}\"", logEvent.Properties[ModuleEnricher.PropertyName].ToString());
    }

    private sealed class PropertyFactory : ILogEventPropertyFactory
    {
        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) =>
            new(name, new ScalarValue(value));
    }
}
