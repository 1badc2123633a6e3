using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Operations;
using Modular.BuildingBlocks.Security;
using Modular.Testing;
using Wolverine;

namespace Modular.Host.Tests;

/// <summary>
/// The operations console's pages and its live figures (<c>/api/platform/activity</c>) over a host with the Probe module,
/// whose messages succeed, fail and dead-letter at will. The pages themselves are driven in a browser by
/// Modular.EndToEndTests' OperationsConsoleBrowserTests.
/// </summary>
public sealed class OperationsConsoleTests : IAsyncLifetime
{
    private ModularTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("opsconsole"), [.. ModuleCatalog.All, new ProbeModule()]);

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Theory]
    [InlineData("/ops")]
    [InlineData("/ops/health")]
    [InlineData("/ops/dead-letters")]
    public async Task A_console_page_is_a_shell_without_data_that_may_run_only_its_own_script(string path)
    {
        var page = await _host.AnonymousClient().GetAsync(path);
        var script = await _host.AnonymousClient().GetAsync("/ops/assets/ops.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(OperationsConsole.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self';", OperationsConsole.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"/ops/assets/ops.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_console_page_is_a_404_problem_naming_the_pages()
    {
        var response = await _host.AnonymousClient().GetAsync("/ops/secrets");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("/ops/dead-letters", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_figures_are_for_admins_only()
    {
        var anonymous = await _host.AnonymousClient().GetAsync(ActivityEndpoint.Route);
        using var staff = _host.ClientAs("sam", Roles.Staff);
        var notAdmin = await staff.GetAsync(ActivityEndpoint.Route);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), (anonymous.StatusCode, notAdmin.StatusCode));
    }

    [Fact]
    public async Task Live_figures_count_what_a_module_handled_failed_and_gave_up_on_with_its_handling_time()
    {
        var bus = _host.Host.MessageBus();
        for (var i = 0; i < 5; i++)
        {
            await bus.PublishAsync(new Ping($"ping {i}"));
        }

        await bus.PublishAsync(new Flare("boom"));

        var probe = await Eventually.Get(
            async () => Probe(await _host.Client.GetFromJsonAsync<JsonElement>(ActivityEndpoint.Route)),
            p => p.GetProperty("handled").GetInt64() >= 5 && p.GetProperty("deadLetters").GetInt32() == 1,
            "the Probe's five pings handled and its flare dead-lettered");

        Assert.True(probe.GetProperty("failed").GetInt64() >= 1, probe.GetRawText());
        Assert.True(probe.GetProperty("failedLastMinute").GetInt64() >= 1, probe.GetRawText());
        Assert.Equal(1, probe.GetProperty("deadLettered").GetInt64());
        Assert.True(probe.GetProperty("p50Milliseconds").GetDouble() > 0, probe.GetRawText());
        Assert.True(probe.GetProperty("p99Milliseconds").GetDouble() >= probe.GetProperty("p50Milliseconds").GetDouble(), probe.GetRawText());
        Assert.Equal(0, probe.GetProperty("inboxDepth").GetInt32());
    }

    [Fact]
    public async Task This_process_is_listed_once_with_every_module_it_hosts_and_its_readiness()
    {
        var activity = await _host.Client.GetFromJsonAsync<JsonElement>(ActivityEndpoint.Route);

        var process = Assert.Single(activity.GetProperty("processes").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, process.GetProperty("url").ValueKind);
        Assert.Equal([.. ModuleCatalog.All.Select(m => m.Name), "Probe"], process.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(process.GetProperty("hosts").GetArrayLength(), process.GetProperty("modules").GetArrayLength());
        Assert.Contains(process.GetProperty("status").GetString(), new[] { "Healthy", "Degraded" });
    }

    private static JsonElement Probe(JsonElement activity) =>
        activity.GetProperty("processes")[0].GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("module").GetString() == "Probe");
}

/// <summary>A gateway shows the processes it forwards to; one that does not answer is Unreachable, named with the reason.</summary>
public sealed class GatewayActivityTests
{
    [Fact]
    public async Task A_process_the_gateway_cannot_reach_is_shown_unreachable_with_the_modules_it_should_host()
    {
        // Nothing listens on the discard port: the connection is refused at once.
        var nowhere = new Uri("http://127.0.0.1:9/");
        await using var gateway = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("opsgateway"), ModuleCatalog.All,
            new Dictionary<string, string?>
            {
                ["Modular:Modules:0"] = "Catalog",
                ["Modular:Modules:1"] = "Ordering",
                ["Modular:Modules:2"] = "Shipping",
                ["Modular:RemoteUrls:Inventory"] = nowhere.ToString(),
                ["Modular:RemoteUrls:Payments"] = nowhere.ToString(),
            });

        var activity = await gateway.Client.GetFromJsonAsync<JsonElement>(ActivityEndpoint.Route);

        var processes = activity.GetProperty("processes").EnumerateArray().ToList();
        Assert.Equal(2, processes.Count);
        Assert.Equal(["Catalog", "Ordering", "Shipping"], processes[0].GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        var remote = processes[1];
        Assert.Equal(["Inventory", "Payments"], remote.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal((nowhere.ToString(), "Unreachable"), (remote.GetProperty("url").GetString(), remote.GetProperty("status").GetString()));
        Assert.StartsWith(nowhere.ToString(), remote.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        // The gateway's own readiness leaves the remote checks to the remote process's entry.
        Assert.DoesNotContain(processes[0].GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("Payments", StringComparison.Ordinal));
    }
}
