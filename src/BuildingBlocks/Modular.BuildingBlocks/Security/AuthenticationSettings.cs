namespace Modular.BuildingBlocks.Security;

/// <summary>
/// The <c>Modular:Authentication</c> section: who issues the bearer tokens this process accepts. With an
/// <see cref="Authority"/>, any OpenID Connect provider; without one, tokens signed by the local key at
/// <see cref="SigningKeyPath"/>, which the host's <c>token</c> command mints. See docs/adr/0019.
/// </summary>
public sealed class AuthenticationSettings
{
    /// <summary>The issuer that tokens made by the <c>token</c> command carry.</summary>
    public const string LocalIssuer = "modular-local";

    /// <summary>The OpenID Connect issuer URL; its discovery document names the signing keys, refreshed as it rotates them.</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> every token must carry.</summary>
    public string Audience { get; set; } = "modular";

    /// <summary>Refuse to read the provider's metadata over plain HTTP. Turn off only for a provider on loopback.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// How soon after the last fetch a token signed by an unknown key may fetch the provider's keys again: a rotated key
    /// is accepted at most this long after the provider publishes it.
    /// </summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The claim that names the caller (the customer of an order placed with the token).</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>The claim with the caller's roles (<see cref="Roles"/>); providers differ (<c>roles</c>, <c>role</c>, ...).</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>
    /// Without an <see cref="Authority"/>: the local signing key (PEM), created on first use. A relative path is read from
    /// the content root. Every process of one deployment must read the same key.
    /// </summary>
    public string SigningKeyPath { get; set; } = ".local/signing-key.pem";

    /// <summary>How long a token from the <c>token</c> command lasts.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool UsesProvider => !string.IsNullOrWhiteSpace(Authority);
}
