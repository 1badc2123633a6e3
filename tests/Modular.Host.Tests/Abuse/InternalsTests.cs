using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.BuildingBlocks.Security;
using Modular.Testing;

namespace Modular.Host.Tests.Abuse;

/// <summary>
/// What a caller who is not an admin learns about the deployment: which modules run where, and whether each is
/// ready, but no other process's address, no connection detail and no exception text. An admin sees it all. See docs/adr/0021.
/// </summary>
public sealed class InternalsTests : IAsyncLifetime
{
    // An address nothing listens on: the gateway's readiness check of the remote module fails, with an error naming it.
    private const string RemoteAddress = "http://127.0.0.1:9/";

    private ModularTestHost _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("internals"), ModuleCatalog.All, new Dictionary<string, string?>
        {
            ["Modular:Modules:0"] = "Catalog",
            ["Modular:Modules:1"] = "Ordering",
            ["Modular:RemoteUrls:Inventory"] = RemoteAddress,
            ["Modular:RemoteUrls:Payments"] = RemoteAddress,
        });

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task The_modules_view_names_other_processes_addresses_to_an_admin_only()
    {
        var anonymous = await ModulesAsync(role: null);
        var staff = await ModulesAsync(role: Roles.Staff);
        var admin = await ModulesAsync(role: Roles.Admin);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.Forbidden, staff.Status);
        Assert.DoesNotContain("127.0.0.1:9", anonymous.Body + staff.Body, StringComparison.Ordinal);
        Assert.Contains($"another process at {RemoteAddress}, its messages over PostgreSQL", admin.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_shows_a_remote_module_status_but_not_its_address_or_error_to_a_caller_who_is_not_an_admin()
    {
        var anonymous = await ReadinessAsync(role: null);
        var admin = await ReadinessAsync(role: Roles.Admin);

        var inventory = anonymous.GetProperty("checks").GetProperty("module:Inventory");
        Assert.Equal("Degraded", inventory.GetProperty("status").GetString());
        Assert.False(inventory.TryGetProperty("description", out _), inventory.GetRawText());
        Assert.DoesNotContain("127.0.0.1", anonymous.GetRawText(), StringComparison.Ordinal);
        // This platform's own checks say what they found to everyone: figures, no internals.
        Assert.StartsWith("Catalog: 0 dead letter(s)", anonymous.GetProperty("checks").GetProperty("module:Catalog").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9", admin.GetProperty("checks").GetProperty("module:Inventory").GetRawText(), StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Body)> ModulesAsync(string? role)
    {
        var response = await _gateway.Client.SendAsync(As(new HttpRequestMessage(HttpMethod.Get, "/api/modules"), role));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage As(HttpRequestMessage request, string? role)
    {
        // The default client is an admin's: a request of its own sends its own token, or an empty one for no caller.
        request.Headers.Authorization = role is null ? new("Bearer", "") : TestIdentity.Bearer($"someone-{role}", role);
        return request;
    }

    private async Task<JsonElement> ReadinessAsync(string? role)
    {
        var response = await _gateway.Client.SendAsync(As(new HttpRequestMessage(HttpMethod.Get, "/health/ready"), role));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
