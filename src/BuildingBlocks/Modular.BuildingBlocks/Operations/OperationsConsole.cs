using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;

namespace Modular.BuildingBlocks.Operations;

/// <summary>
/// The operations console at <c>/ops</c>: a small static page set, embedded in this assembly and served by the host, over
/// the admin APIs (<c>/api/modules</c>, <c>/api/platform/activity</c>, <c>/api/platform/dead-letters</c>, Ordering's
/// <c>/api/v1/orders/attention</c>). The pages hold no data: the browser signs in with a pasted admin token, kept in the
/// tab's session storage and sent as a bearer token, so every figure comes through the same authorisation as any
/// client's and no cookie can be ridden by another site. Scripts and styles come only from this origin. See docs/adr/0039.
/// </summary>
public static class OperationsConsole
{
    public const string Path = "/ops";

    public const string AssetsPath = Path + "/assets";

    /// <summary>Its own scripts and styles from this origin, no inline ones, and requests to this origin only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static readonly IReadOnlyList<string> Pages = ["topology", "health", "dead-letters", "orders"];

    private static readonly EmbeddedFileProvider Files = new(typeof(OperationsConsole).Assembly, typeof(OperationsConsole).Namespace + ".Console");

    /// <summary>The scripts and styles; ahead of authentication, as they are the same for everyone.</summary>
    public static IApplicationBuilder UseOperationsConsoleAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = AssetsPath,
            FileProvider = Files,
            // Revalidated on every load: an upgraded host serves its new script at once.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });

    /// <summary>Each page is the same shell; the script draws the page its path names.</summary>
    public static RouteHandlerBuilder MapOperationsConsole(this IEndpointRouteBuilder app) =>
        app.MapGet(Path + "/{page?}", (string? page) =>
            page is null || Pages.Contains(page, StringComparer.Ordinal)
                ? Results.Stream(Files.GetFileInfo("index.html").CreateReadStream(), "text/html; charset=utf-8")
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such console page.",
                    detail: $"The console's pages are {string.Join(", ", Pages.Select(p => $"{Path}/{p}"))}."))
            .AllowAnonymous()
            .ExcludeFromDescription();
}
