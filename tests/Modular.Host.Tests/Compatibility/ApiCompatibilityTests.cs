using System.Text.Json.Nodes;
using Modular.BuildingBlocks.Http;
using Modular.Host;
using Modular.Testing;
using Modular.Testing.Compatibility;

namespace Modular.Host.Tests.Compatibility;

/// <summary>
/// The HTTP API of the process that hosts every module (every other process serves a subset of it) against its snapshot
/// in docs/contracts: a route or a request field a client relies on that goes away, narrows or becomes required fails,
/// naming it; an added route or optional field passes and is written to the snapshot, to be committed with it.
/// <c>MODULAR_ACCEPT_CONTRACTS=1</c> on the test accepts a break. See docs/adr/0034.
/// </summary>
public sealed class ApiCompatibilityTests
{
    public static TheoryData<string> Versions => new(ApiVersions.Published.Select(ApiVersions.DocumentName));

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Each_API_version_keeps_every_route_and_request_field_of_its_snapshot(string version)
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("api_shape"), ModuleCatalog.All);
        using var anonymous = host.AnonymousClient();
        var current = ApiShape.Of(JsonNode.Parse(await anonymous.GetStringAsync($"/openapi/{version}.json"))!);

        Snapshots.AssertCompatible(Path.Combine(ReleaseHost.RepositoryRoot(), "docs", "contracts", $"http-api-{version}.txt"),
            $"# API {version} of a process hosting every module: operation, then parameter or body field: JSON types [format] [enum] [required].\n"
            + "# Checked by tests/Modular.Host.Tests/Compatibility/ApiCompatibilityTests.cs; see docs/adr/0034 and 0038.\n",
            current, ApiShape.BreakingChanges,
            $"API {version} changed in a way existing clients would not survive", "Add a route or an optional field instead, or a new version");
    }

    [Fact]
    public void A_format_or_an_enum_value_a_field_no_longer_takes_is_breaking()
    {
        var before = Shape.Parse("""
            GET /api/orders
              query.status: string enum="Cancelled","Confirmed"
              query.customerId: string
            """);
        var after = Shape.Parse("""
            GET /api/orders
              query.status: string enum="Confirmed"
              query.customerId: string format=uuid
            """);

        var breaking = ApiShape.BreakingChanges(after, before);

        Assert.Equal(2, breaking.Count);
        Assert.Contains(breaking, b => b.StartsWith("GET /api/orders: query.status was", StringComparison.Ordinal));
        Assert.Contains(breaking, b => b.StartsWith("GET /api/orders: query.customerId was", StringComparison.Ordinal));
    }

    [Fact]
    public void A_removed_route_a_removed_field_a_narrowed_type_and_a_new_required_field_are_each_named()
    {
        var before = Shape.Parse("""
            POST /api/orders
              body: object required
              body.customerId: string|null
              body.note: string|null
              body.lines: array required
            GET /api/orders/{id}
              path.id: string required
            """);
        var after = Shape.Parse("""
            POST /api/orders
              body: object required
              body.customerId: string required
              body.lines: array required
              body.channel: string required
            """);

        var breaking = ApiShape.BreakingChanges(after, before);

        Assert.Equal(4, breaking.Count);
        Assert.Contains("GET /api/orders/{id} was removed: clients still call it.", breaking);
        Assert.Contains(breaking, b => b.StartsWith("POST /api/orders: body.note was removed", StringComparison.Ordinal));
        Assert.Contains("POST /api/orders: body.customerId was string|null, is now string required.", breaking);
        Assert.Contains(breaking, b => b.StartsWith("POST /api/orders: body.channel is new and required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_route_a_new_optional_field_a_wider_type_and_a_relaxed_requirement_are_compatible()
    {
        var before = Shape.Parse("""
            POST /api/orders
              body.customerId: string required
              body.lines: array required
            """);
        var after = Shape.Parse("""
            POST /api/orders
              body.customerId: null|string
              body.lines: array required
              body.note: string
            GET /api/orders/{id}
              path.id: string required
            """);

        Assert.Empty(ApiShape.BreakingChanges(after, before));
    }
}
