using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Modular.BuildingBlocks.Security;
using Modular.Host;
using Modular.Testing;

namespace Modular.Host.Tests.Security;

/// <summary>
/// With an OpenID Connect provider configured, tokens are checked against the keys its discovery document publishes,
/// and a key the provider rotates in is picked up without a restart. The provider here is a discovery document and a
/// JWKS served by the test, as any provider serves them.
/// </summary>
public sealed class OpenIdConnectProviderTests : IAsyncLifetime
{
    private readonly List<RsaSecurityKey> _published = [];
    private WebApplication _provider = null!;
    private string _issuer = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _provider = builder.Build();
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer,
            ["jwks_uri"] = $"{_issuer}/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _provider.MapGet("/jwks", () => Results.Json(new { keys = _published.ToArray().Select(Jwk) }));
        await _provider.StartAsync();
        _issuer = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task Tokens_signed_by_the_providers_published_key_are_accepted_and_a_rotated_key_is_picked_up()
    {
        var first = NewKey("first");
        _published.Add(first);
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("oidc"), ModuleCatalog.All, new Dictionary<string, string?>
        {
            ["Modular:Authentication:Authority"] = _issuer,
            ["Modular:Authentication:RequireHttpsMetadata"] = "false",
            ["Modular:Authentication:MetadataRefreshInterval"] = "00:00:01",
        });
        using var client = host.AnonymousClient();

        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, Token(first)));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(client, Token(NewKey("unpublished"))));

        var second = NewKey("second");
        _published.Clear();
        _published.Add(second);

        // The unknown key id makes the host fetch the provider's keys again, at most once a second here.
        await Eventually.Get(() => CallAsync(client, Token(second)), status => status == HttpStatusCode.OK, "the rotated key to be accepted");
        // A local token is no use once a provider is configured.
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(client, TestIdentity.Token("alice", Roles.Admin)));
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
        request.Headers.Authorization = new("Bearer", token);
        return (await client.SendAsync(request)).StatusCode;
    }

    private string Token(RsaSecurityKey key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = _issuer,
        Audience = "modular",
        Claims = new Dictionary<string, object> { ["sub"] = "alice", ["role"] = new[] { Roles.Customer } },
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    private static RsaSecurityKey NewKey(string id) => new(RSA.Create(2048)) { KeyId = $"{id}-{Guid.NewGuid():N}" };

    private static object Jwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new { kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) };
    }
}
