using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// The headers every response carries so that a browser treats this API's answers as data and nothing else: no MIME
/// sniffing, no framing, no referrer, and a Content-Security-Policy that lets an answer load nothing. The API reference
/// page is the one HTML page; its policy lets it run its own scripts and styles (inline ones included, which its
/// configuration is) from this origin and nothing from any other. Kestrel's <c>Server</c> header is off
/// (<see cref="InputHardening"/>). See docs/adr/0021.
/// </summary>
public static class SecurityHeaders
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Goes first: the headers are set as the response starts, so an error page written later carries them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var response = ((HttpContext)state).Response;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = response.HttpContext.Request.Path.StartsWithSegments(ApiReference.PagePath, StringComparison.OrdinalIgnoreCase)
                ? ApiReferencePolicy
                : ApiPolicy;
            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}
