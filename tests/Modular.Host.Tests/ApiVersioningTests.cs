using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.BuildingBlocks.Http;
using Modular.Testing;

namespace Modular.Host.Tests;

/// <summary>
/// Versions in the URL (docs/adr/0038): an OpenAPI document per version, version 2 of one endpoint beside its version 1,
/// and the routes named without a version answering as version 1. That the two versions show one order alike is in the
/// end-to-end scenarios (FulfilmentScenarios).
/// </summary>
public sealed class ApiVersioningTests : IAsyncLifetime
{
    private ModularTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("versions"), ModuleCatalog.All);

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private async Task<IReadOnlyList<string>> PathsAsync(string document) =>
        (await _host.Client.GetFromJsonAsync<JsonElement>(document)).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

    [Fact]
    public async Task Each_version_has_its_own_OpenAPI_document_and_version_2_holds_only_what_it_changes()
    {
        var v1 = await PathsAsync("/openapi/v1.json");
        var v2 = await PathsAsync("/openapi/v2.json");

        Assert.Contains("/api/v1/orders/{orderId}", v1);
        Assert.Contains("/api/v1/catalog/products", v1);
        Assert.Contains("/api/modules", v1);
        Assert.DoesNotContain(v1, path => path.StartsWith("/api/v2/", StringComparison.Ordinal));
        Assert.Equal(["/api/v2/orders/{orderId}"], v2);
    }

    [Fact]
    public async Task The_reference_page_offers_every_version()
    {
        // The page (its address without a slash redirects here) lists each version's document in its configuration.
        var page = await _host.Client.GetStringAsync(ApiReference.PagePath + "/");

        Assert.Contains("v1.json", page, StringComparison.Ordinal);
        Assert.Contains("v2.json", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_without_a_version_is_version_1_and_every_version_names_the_versions_its_route_has()
    {
        var order = Guid.NewGuid();

        var unversioned = await _host.Client.GetAsync($"/api/orders/{order}");
        var v1 = await _host.Client.GetAsync($"/api/v1/orders/{order}");
        var v2 = await _host.Client.GetAsync($"/api/v2/orders/{order}");
        var v3 = await _host.Client.GetAsync($"/api/v3/orders/{order}");

        foreach (var response in new[] { unversioned, v1, v2 })
        {
            var problem = await Problems.AssertAsync(response, HttpStatusCode.NotFound);
            Assert.Equal("No such order.", problem.GetProperty("title").GetString());
            Assert.Equal("1.0, 2.0", string.Join(", ", response.Headers.GetValues("api-supported-versions")));
        }

        // No such version: the route is unknown, which is a 404 problem without an order's title.
        var unknown = await Problems.AssertAsync(v3, HttpStatusCode.NotFound);
        Assert.NotEqual("No such order.", unknown.TryGetProperty("title", out var title) ? title.GetString() : null);
    }

    [Fact]
    public async Task The_platform_routes_have_no_version()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/api/modules")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/v1/modules")).StatusCode);
    }
}
