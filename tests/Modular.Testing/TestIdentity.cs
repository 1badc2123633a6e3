using System.Net.Http.Headers;
using Microsoft.IdentityModel.Tokens;
using Modular.BuildingBlocks.Security;

namespace Modular.Testing;

/// <summary>
/// Who the tests are: every host a test starts, in memory or as a process, trusts one local signing key, and tests mint
/// tokens with it as the host's <c>token</c> command would. Test clients act as an admin unless a test says otherwise.
/// </summary>
public static class TestIdentity
{
    public const string Admin = "test-admin";

    /// <summary>The configuration key, and its environment-variable spelling for host processes.</summary>
    public const string KeyPathSetting = "Modular:Authentication:SigningKeyPath";

    public static readonly string KeyPath = Path.Combine(Path.GetTempPath(), "modular-tests", "signing-key.pem");

    private static readonly Lazy<SecurityKey> Key = new(() => LocalSigningKey.LoadOrCreate(KeyPath));

    public static string Token(string subject, params string[] roles) =>
        LocalTokens.Mint(Key.Value, new AuthenticationSettings(), subject, roles, DateTimeOffset.UtcNow);

    public static AuthenticationHeaderValue Bearer(string subject, params string[] roles) => new("Bearer", Token(subject, roles));

    public static AuthenticationHeaderValue AdminBearer => Bearer(Admin, Roles.Admin);

    /// <summary>Makes <paramref name="client"/> act as <paramref name="subject"/> with <paramref name="roles"/> on every request.</summary>
    public static HttpClient ActingAs(this HttpClient client, string subject, params string[] roles)
    {
        client.DefaultRequestHeaders.Authorization = Bearer(subject, roles);
        return client;
    }

    /// <summary>A client of a host process, acting as an admin.</summary>
    public static HttpClient AdminClient(Uri baseAddress, TimeSpan? timeout = null) =>
        new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) }.ActingAs(Admin, Roles.Admin);
}
