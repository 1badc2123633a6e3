using System.Net.Http.Headers;
using Microsoft.IdentityModel.Tokens;
using Modular.BuildingBlocks.Security;

/// <summary>
/// Bearer tokens minted with the host's local signing key (Modular__Authentication__SigningKeyPath, default
/// .local/signing-key.pem), as the host's token command does. A host from before bearer tokens (a63e2d4, the baseline
/// of scripts/benchmark.sh) ignores them.
/// </summary>
internal static class Tokens
{
    private static readonly AuthenticationSettings Settings = new();

    private static readonly Lazy<SecurityKey> SigningKey = new(() => LocalSigningKey.LoadOrCreate(
        Environment.GetEnvironmentVariable("Modular__Authentication__SigningKeyPath") ?? Settings.SigningKeyPath));

    public static AuthenticationHeaderValue Bearer(string subject, string role) =>
        new("Bearer", LocalTokens.Mint(SigningKey.Value, Settings, subject, [role], DateTimeOffset.UtcNow));

    /// <summary>A client of <paramref name="baseUrl"/> acting as staff, as the load generator's set-up calls are.</summary>
    public static HttpClient StaffClient(Uri baseUrl)
    {
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = Bearer("load-staff", Roles.Staff);
        return http;
    }
}
