using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Modular.Testing;
using Serilog.Core;
using Serilog.Events;
using Wolverine;

namespace Modular.Host.Tests.Performance;

/// <summary>A lost optimistic-concurrency race is retried quietly and without holding an inbox slot (docs/adr/0031).</summary>
public sealed class ConflictRetryTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ModularTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync("conflicts");
        _host = await ModularTestHost.StartAsync(database, [new ProbeModule()],
            new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Debug" },
            services => services.AddSingleton<ILogEventSink>(_logs));
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task A_message_that_loses_races_is_handled_once_it_wins_with_one_debug_line_per_lost_race_and_no_warning()
    {
        var text = $"contend-{Guid.NewGuid():N}";
        var clock = Stopwatch.StartNew();

        // Two lost races are retried at once, the next ones after a short wait, with the slot given up meanwhile.
        await _host.Host.MessageBus().PublishAsync(new Contend(text, Conflicts: 4));

        await Eventually.Get(() => Task.FromResult(_host.Services.GetRequiredService<Pings>().Handled.Contains(text)), handled => handled, "the contended message");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"four lost races took {clock.Elapsed} to settle");
        var mentions = _logs.Events.Where(e => e.RenderMessage(null).Contains(text, StringComparison.Ordinal) || Mentions(e, text)).ToList();
        Assert.Empty(mentions.Where(e => e.Level >= LogEventLevel.Warning).Select(e => e.RenderMessage(null)));
        Assert.Equal(4, mentions.Count(e => e.Level == LogEventLevel.Debug && e.Exception is null && e.MessageTemplate.Text.Contains("optimistic", StringComparison.Ordinal)));
    }

    private static bool Mentions(LogEvent logEvent, string text) => logEvent.Exception?.ToString().Contains(text, StringComparison.Ordinal) == true;
}
