using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Modular.BuildingBlocks.Http;

namespace Modular.BuildingBlocks.Security;

/// <summary>
/// 401 and 403 as RFC 9457 problems that say what is wrong and what would do: no token, which check the token failed,
/// or which roles the route needs. The challenge still sets <c>WWW-Authenticate</c>.
/// </summary>
public sealed class AccessProblems(IProblemDetailsService problems, ILogger<AccessProblems> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _granted = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // The handler remembers its result for the request: asking again does not validate the token twice.
            var authentication = await context.AuthenticateAsync();
            await context.ChallengeAsync();
            await ClientErrors.WriteAsync(context, ClientErrors.Problem(StatusCodes.Status401Unauthorized, "A valid bearer token is needed.",
                WhyUnauthenticated(authentication.Failure)), problems, logger);
        }
        else if (authorizeResult.Forbidden)
        {
            await context.ForbidAsync();
            await ClientErrors.WriteAsync(context, ClientErrors.Problem(StatusCodes.Status403Forbidden, "The token does not allow this request.",
                WhyForbidden(authorizeResult.AuthorizationFailure)), problems, logger);
        }
        else
        {
            await _granted.HandleAsync(next, context, policy, authorizeResult);
        }
    }

    private static string WhyUnauthenticated(Exception? failure) => failure switch
    {
        null => "Send 'Authorization: Bearer <token>'. Locally, scripts/run.sh prints tokens and the host's 'token' command mints more.",
        SecurityTokenExpiredException => "The token has expired; get a new one.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The token is meant for another service (its audience is not this API's).",
        SecurityTokenInvalidIssuerException => "The token comes from an issuer this API does not trust.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The token's signature does not match any key this API trusts.",
        _ => "The token could not be read or validated.",
    };

    private static string WhyForbidden(AuthorizationFailure? failure)
    {
        var roles = failure?.FailedRequirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct().ToList();
        return roles is { Count: > 0 }
            ? $"This request needs one of the roles: {string.Join(", ", roles)}."
            : "The token's roles do not allow this request.";
    }
}
