using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modular.Testing;
using Wolverine;

namespace Modular.Host.Tests;

/// <summary>Readiness per hosted module: its dead letters and how long its inbox has kept a message waiting.</summary>
public sealed class ModuleReadinessTests : IAsyncLifetime
{
    private ModularTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("readiness"), [.. ModuleCatalog.All, new ProbeModule()],
            new Dictionary<string, string?> { ["Modular:Health:MaxInboxAge"] = "00:00:02" });

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Every_hosted_module_is_ready_while_nothing_is_dead_lettered_or_waiting()
    {
        var (status, report) = await ReadinessAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        foreach (var module in new[] { "Catalog", "Inventory", "Ordering", "Payments", "Probe" })
        {
            Assert.Equal("Healthy", Check(report, module).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_dead_letter_makes_readiness_Degraded_naming_its_module_and_still_200()
    {
        await _host.Host.MessageBus().PublishAsync(new Ping(""));

        var report = await Eventually.Get(async () => (await ReadinessAsync()).Report,
            r => Check(r, "Probe").GetProperty("status").GetString() == "Degraded", "the Probe module to be degraded");

        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var probe = Check(report, "Probe");
        Assert.StartsWith("Probe: 1 dead letter(s), more than 0", probe.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, probe.GetProperty("data").GetProperty("deadLetters").GetInt32());
        Assert.Equal("Healthy", Check(report, "Payments").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ReadinessAsync()).Status);
    }

    [Fact]
    public async Task A_message_waiting_in_an_inbox_longer_than_allowed_makes_readiness_Degraded_naming_its_module_until_it_is_handled()
    {
        var fuse = _host.Services.GetRequiredService<Fuse>();
        await _host.Host.MessageBus().PublishAsync(new Stall("stuck"));

        var report = await Eventually.Get(async () => (await ReadinessAsync()).Report,
            r => Check(r, "Probe").GetProperty("status").GetString() == "Degraded", "the Probe module to be degraded");

        var probe = Check(report, "Probe");
        Assert.Contains("a message has waited in its inbox for", probe.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, probe.GetProperty("data").GetProperty("waitingInInbox").GetInt32());
        Assert.Equal("Healthy", Check(report, "Ordering").GetProperty("status").GetString());

        fuse.Release.Release();

        await Eventually.Get(async () => (await ReadinessAsync()).Report,
            r => r.GetProperty("status").GetString() == "Healthy", "readiness to be Healthy once the message is handled");
    }

    private async Task<(HttpStatusCode Status, JsonElement Report)> ReadinessAsync()
    {
        var response = await _host.Client.GetAsync("/health/ready");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static JsonElement Check(JsonElement report, string module) => report.GetProperty("checks").GetProperty($"module:{module}");
}
