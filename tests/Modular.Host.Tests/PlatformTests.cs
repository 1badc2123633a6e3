using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Catalog;
using Modular.Testing;

namespace Modular.Host.Tests;

/// <summary>What every Modular host offers besides its modules: health, API description, problem details.</summary>
public sealed class PlatformTests : IAsyncLifetime
{
    private ModularTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("platform"), ModuleCatalog.All);

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Readiness_reports_PostgreSQL_healthy_when_the_database_answers()
    {
        var response = await _host.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Liveness_answers_without_asking_the_database()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_catalog_route()
    {
        var document = await _host.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/catalog/products").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/catalog/products").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/catalog/products/{sku}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/catalog/products/{sku}/price").TryGetProperty("put", out _));
        Assert.True(paths.GetProperty("/api/v1/catalog/products/{sku}/discontinue").TryGetProperty("post", out _));
    }

    [Fact]
    public async Task The_interactive_API_reference_is_served()
    {
        var response = await _host.Client.GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_route_answers_404_problem_details()
    {
        var response = await _host.Client.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class ReadinessTests
{
    [Fact]
    public async Task Readiness_fails_naming_PostgreSQL_when_the_database_is_gone_while_liveness_holds()
    {
        var database = await PostgresServer.CreateDatabaseAsync("gone");
        await using var host = await ModularTestHost.StartAsync(database, ModuleCatalog.All);
        await DropDatabaseAsync(database);
        using var anyone = host.AnonymousClient();

        var ready = await anyone.GetAsync("/health/ready");
        var live = await anyone.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        // Anyone may probe readiness: the driver's error, which names the database, is not for them.
        Assert.DoesNotContain(new Npgsql.NpgsqlConnectionStringBuilder(database).Database!, report.GetRawText(), StringComparison.Ordinal);
    }

    private static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database;
        builder.Database = "postgres";
        // DROP DATABASE waits for a checkpoint, which on a server busy with every other test's databases can take longer
        // than the default 30 s command timeout (seen under a load average of 25).
        builder.CommandTimeout = 180;
        Npgsql.NpgsqlConnection.ClearAllPools();
        await Sql.ExecuteAsync(builder.ConnectionString, $"drop database \"{name}\" with (force)");
    }
}
