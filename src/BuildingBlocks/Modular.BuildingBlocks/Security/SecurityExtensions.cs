using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Modular.BuildingBlocks.Security;

/// <summary>
/// Bearer tokens on every route of every process, validated by the process itself: a gateway forwards the caller's
/// token, and an extracted module's host checks it again, so no process trusts its network. See docs/adr/0019.
/// </summary>
public static class SecurityExtensions
{
    public static WebApplicationBuilder AddModularSecurity(this WebApplicationBuilder builder, AuthenticationSettings settings)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                // Claims keep the names the token gives them ("sub", "role"), not WS-Federation URIs.
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters.NameClaimType = settings.SubjectClaim;
                jwt.TokenValidationParameters.RoleClaimType = settings.RoleClaim;
                jwt.TokenValidationParameters.ValidAudience = settings.Audience;
                if (settings.UsesProvider)
                {
                    jwt.Authority = settings.Authority;
                    jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                    jwt.RefreshInterval = settings.MetadataRefreshInterval;
                }
                else
                {
                    var path = Path.Combine(builder.Environment.ContentRootPath, settings.SigningKeyPath);
                    jwt.TokenValidationParameters.ValidIssuer = AuthenticationSettings.LocalIssuer;
                    jwt.TokenValidationParameters.IssuerSigningKey = LocalSigningKey.LoadOrCreate(path);
                }
            });

        builder.Services.AddAuthorizationBuilder()
            // A route that declares nothing is not open: it needs a valid token. Open routes say so (health, API docs).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Customer, policy => policy.RequireRole(Roles.Customer, Roles.Staff, Roles.Admin))
            .AddPolicy(Policies.Staff, policy => policy.RequireRole(Roles.Staff, Roles.Admin))
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessProblems>();
        return builder;
    }
}
