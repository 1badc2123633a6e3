using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Http;

namespace Modular.Host.Tests.Abuse;

/// <summary>
/// Stands in for a validated token until the host authenticates: a request with <c>X-Test-Subject</c> is that
/// subject's, one with <c>X-Test-Role</c> has that role, with the claim types the host's token options use
/// (unmapped <c>sub</c> and <c>role</c>). A request with neither stays anonymous.
/// </summary>
public sealed class TestCallers : IStartupFilter
{
    public const string SubjectHeader = "X-Test-Subject";
    public const string RoleHeader = "X-Test-Role";

    public static void AddTo(IServiceCollection services) => services.AddSingleton<IStartupFilter, TestCallers>();

    public static HttpRequestMessage As(HttpRequestMessage request, string? subject = null, string? role = null)
    {
        if (subject is not null)
        {
            request.Headers.Add(SubjectHeader, subject);
        }

        if (role is not null)
        {
            request.Headers.Add(RoleHeader, role);
        }

        return request;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, then) =>
        {
            var claims = new List<Claim>();
            if (context.Request.Headers[SubjectHeader] is [{ } subject])
            {
                claims.Add(new Claim(Callers.SubjectClaim, subject));
            }

            if (context.Request.Headers[RoleHeader] is [{ } role])
            {
                claims.Add(new Claim("role", role));
            }

            if (claims.Count > 0)
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test", Callers.SubjectClaim, "role"));
            }

            return then(context);
        });
        next(app);
    };
}
