using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Modular.BuildingBlocks.Http;
using Modular.BuildingBlocks.Security;
using Modular.Host.Tests.Input;
using Modular.Testing;

namespace Modular.Host.Tests.Security;

/// <summary>Who may call what: a valid token on every route but health, roles per route, and problems that say why not.</summary>
public sealed class AccessTests(SecureShop shop) : IClassFixture<SecureShop>
{
    [Fact]
    public async Task Every_api_route_answers_an_anonymous_request_with_401_problem_details()
    {
        using var anonymous = shop.Host.AnonymousClient();
        var operations = new List<ApiOperation>();
        foreach (var version in ApiVersions.Published)
        {
            operations.AddRange(new OpenApiRoutes(JsonNode.Parse(await anonymous.GetStringAsync(ApiVersions.DocumentPath(version)))!).Operations);
        }

        Assert.Contains(operations, o => o.Template == "/api/modules");
        Assert.Contains(operations, o => o.Template.StartsWith("/api/platform/dead-letters", StringComparison.Ordinal));
        Assert.Contains(operations, o => o.Template == "/api/v2/orders/{orderId}");

        foreach (var operation in operations)
        {
            using var request = Request(operation);
            var response = await anonymous.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{operation} answered {response.StatusCode} without a token");
            await Problems.AssertAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task Health_and_the_API_description_answer_without_a_token()
    {
        using var anonymous = shop.Host.AnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        Assert.Equal("bearer", document["components"]!["securitySchemes"]![OpenApiSecurity.BearerScheme]!["scheme"]!.GetValue<string>());
        var placeOrder = document["paths"]!["/api/v1/orders"]!["post"]!;
        Assert.NotNull(placeOrder["security"]);
        Assert.NotNull(placeOrder["responses"]!["401"]);
        Assert.NotNull(placeOrder["responses"]!["403"]);
    }

    [Theory]
    [InlineData("POST", "/api/catalog/products", Roles.Customer, "staff, admin")]
    [InlineData("PUT", "/api/catalog/products/ANY-1/price", Roles.Customer, "staff, admin")]
    [InlineData("POST", "/api/catalog/products/ANY-1/discontinue", Roles.Customer, "staff, admin")]
    [InlineData("POST", "/api/inventory/stock/ANY-1/receipts", Roles.Customer, "staff, admin")]
    [InlineData("GET", "/api/modules", Roles.Customer, "admin")]
    [InlineData("GET", "/api/modules", Roles.Staff, "admin")]
    [InlineData("GET", "/api/platform/dead-letters", Roles.Staff, "admin")]
    [InlineData("POST", "/api/platform/dead-letters/replay", Roles.Staff, "admin")]
    public async Task A_token_without_the_role_a_route_needs_answers_403_naming_the_roles(string method, string path, string role, string needed)
    {
        using var caller = shop.Host.ClientAs($"someone-{role}", role);

        var response = await caller.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });

        var problem = await Problems.AssertAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal($"This request needs one of the roles: {needed}.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_expired_token_a_token_for_another_audience_and_one_signed_by_another_key_answer_401_naming_the_cause()
    {
        var local = new AuthenticationSettings();
        var key = LocalSigningKey.LoadOrCreate(TestIdentity.KeyPath);
        var expired = LocalTokens.Mint(key, new AuthenticationSettings { TokenLifetime = TimeSpan.FromMinutes(1) }, "alice", [Roles.Customer], DateTimeOffset.UtcNow.AddHours(-1));
        var elsewhere = LocalTokens.Mint(key, new AuthenticationSettings { Audience = "another-api" }, "alice", [Roles.Customer], DateTimeOffset.UtcNow);
        var forged = LocalTokens.Mint(LocalSigningKey.LoadOrCreate(Path.Combine(Path.GetTempPath(), $"forger-{Guid.NewGuid():N}.pem")), local, "alice", [Roles.Admin], DateTimeOffset.UtcNow);

        Assert.Equal("The token has expired; get a new one.", await RefusalAsync(expired));
        Assert.Equal("The token is meant for another service (its audience is not this API's).", await RefusalAsync(elsewhere));
        Assert.Equal("The token's signature does not match any key this API trusts.", await RefusalAsync(forged));
        Assert.Equal("The token could not be read or validated.", await RefusalAsync("not-a-token"));
    }

    [Fact]
    public async Task The_customer_of_an_order_is_the_token_subject_and_a_body_naming_one_is_refused()
    {
        using var alice = shop.Host.ClientAs("alice-" + Guid.NewGuid().ToString("N")[..6], Roles.Customer);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = new StringContent("""{"customerId":"mallory","lines":[{"sku":"ANY-1","quantity":1}],"paymentToken":"tok_visa"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var problem = await Problems.AssertAsync(await alice.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.Contains("customerId", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<string?> RefusalAsync(string token)
    {
        using var client = shop.Host.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var problem = await Problems.AssertAsync(await client.GetAsync("/api/catalog/products"), HttpStatusCode.Unauthorized);
        return problem.GetProperty("detail").GetString();
    }

    private static HttpRequestMessage Request(ApiOperation operation)
    {
        var path = operation.In("path").Aggregate(operation.Template, (template, parameter) =>
            template.Replace($"{{{parameter.Name}}}", parameter.Name.EndsWith("Id", StringComparison.OrdinalIgnoreCase) || parameter.Name == "id"
                ? Guid.NewGuid().ToString() : "ANY-1", StringComparison.Ordinal));
        var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
        if (operation.Body is not null)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return request;
    }
}
