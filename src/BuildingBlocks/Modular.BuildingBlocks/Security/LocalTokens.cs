using System.Security.Claims;
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

/// <summary>What endpoints ask of their caller (the platform's own questions are in <see cref="Http.Callers"/>).</summary>
public static class CallerRights
{
    /// <summary>The caller's subject: the customer an order placed with this token belongs to.</summary>
    public static string Subject(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? throw new InvalidOperationException("The caller has no subject: the route must require authentication.");

    /// <summary>Staff and admin see every customer's data.</summary>
    public static bool IsStaff(this ClaimsPrincipal user) => user.IsInRole(Roles.Staff) || user.IsInRole(Roles.Admin);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>
    /// Whether the caller may see something that belongs to <paramref name="customerId"/>: their own, or anything for
    /// staff. Endpoints answer 404 otherwise, as for something that does not exist, so ids of others leak nothing.
    /// </summary>
    public static bool MaySee(this ClaimsPrincipal user, string? customerId) =>
        user.IsStaff() || (customerId is not null && string.Equals(customerId, user.Identity?.Name, StringComparison.Ordinal));
}
