using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Modular.BuildingBlocks.Operations;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// The headers every response carries so that a browser treats this API's answers as data and nothing else: no MIME
/// sniffing, no framing, no referrer, and a Content-Security-Policy that lets an answer load nothing. The API reference
/// page runs its own scripts and styles (inline ones included, which its configuration is) from this origin and nothing
/// from any other; the operations console (<see cref="OperationsConsole"/>) its own files only, none inline. Kestrel's <c>Server</c> header is off
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
            var path = response.HttpContext.Request.Path;
            headers.ContentSecurityPolicy = path.StartsWithSegments(ApiReference.PagePath, StringComparison.OrdinalIgnoreCase) ? ApiReferencePolicy
                : path.StartsWithSegments(OperationsConsole.Path, StringComparison.OrdinalIgnoreCase) ? OperationsConsole.ContentSecurityPolicy
                : ApiPolicy;
            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}
