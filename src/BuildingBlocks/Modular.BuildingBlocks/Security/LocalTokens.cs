using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Modular.BuildingBlocks.Security;

/// <summary>Tokens signed by the <see cref="LocalSigningKey"/>: what the host's <c>token</c> command prints.</summary>
public static class LocalTokens
{
    public static string Mint(SecurityKey key, AuthenticationSettings settings, string subject, IEnumerable<string> roles, DateTimeOffset now)
    {
        var claims = new Dictionary<string, object>
        {
            [settings.SubjectClaim] = subject,
            [settings.RoleClaim] = roles.Distinct(StringComparer.Ordinal).ToArray(),
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthenticationSettings.LocalIssuer,
            Audience = settings.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(settings.TokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, LocalSigningKey.Algorithm),
        });
    }
}
