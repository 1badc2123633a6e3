using System.Reflection;
using Asp.Versioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Rewrite;
using Wolverine.Http;
using Wolverine.Http.ApiVersioning;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// The versions of the HTTP API, carried in the URL: <c>/api/v1/orders</c>, <c>/api/v2/orders/{orderId}</c>. A module's
/// endpoint declares its route without the prefix (<c>[WolverineGet("/orders/{orderId}")]</c>) and its version with
/// <c>[ApiVersion("2.0")]</c>, or none for <see cref="Default"/>; Wolverine's API versioning writes the prefix, the OpenAPI
/// group and the <c>api-supported-versions</c> header. A route named without a version is the default version's, so the
/// routes clients used before versions existed still answer. See docs/adr/0038.
/// </summary>
public static class ApiVersions
{
    /// <summary>Where Wolverine puts the version in a route; <c>{version}</c> is the major version.</summary>
    public const string UrlSegmentPrefix = "api/v{version}";

    /// <summary>The version of an endpoint that declares none, and of a route named without a version.</summary>
    public static readonly ApiVersion Default = new(1, 0);

    /// <summary>Every version an endpoint declares, each with an OpenAPI document of its own. A new major version is added here.</summary>
    public static readonly IReadOnlyList<ApiVersion> Published = [Default, new(2, 0)];

    /// <summary>The OpenAPI document of <paramref name="version"/>: <c>v1</c>, served at <c>/openapi/v1.json</c>.</summary>
    public static string DocumentName(ApiVersion version) => $"v{version.MajorVersion}";

    public static string DocumentPath(ApiVersion version) => $"/openapi/{DocumentName(version)}.json";

    /// <summary>The route Wolverine serves <paramref name="template"/> at in <paramref name="version"/>.</summary>
    public static string Route(ApiVersion version, string template) =>
        "/" + UrlSegmentPrefix.Replace("{version}", version.MajorVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        + "/" + template.TrimStart('/');

    /// <summary>The versions an endpoint method answers in: its own <c>[ApiVersion]</c>s, else its class's, else <see cref="Default"/>.</summary>
    public static IReadOnlyList<ApiVersion> Of(MethodInfo endpoint)
    {
        var declared = endpoint.GetCustomAttributes<ApiVersionAttribute>().SelectMany(a => a.Versions).ToList();
        if (declared.Count == 0 && endpoint.DeclaringType is { } type)
        {
            declared = type.GetCustomAttributes<ApiVersionAttribute>().SelectMany(a => a.Versions).ToList();
        }

        return declared.Count > 0 ? declared : [Default];
    }

    public static void Configure(WolverineApiVersioningOptions versioning)
    {
        versioning.UrlSegmentPrefix = UrlSegmentPrefix;
        versioning.UnversionedPolicy = UnversionedPolicy.AssignDefault;
        versioning.DefaultVersion = Default;
    }

    /// <summary>
    /// <c>/api/orders</c> is served as <c>/api/v1/orders</c>: before routing, so a forwarded route (the gateway) and the
    /// rate limits see the versioned one. The platform's own routes (<c>/api/modules</c>, <c>/api/platform/…</c>) have no
    /// version and are left alone.
    /// </summary>
    public static IApplicationBuilder UseUnversionedRoutes(this IApplicationBuilder app)
    {
        // The request log names the path the client asked for, as the request's span does (it is taken before this).
        app.Use((context, next) =>
        {
            // Only where a rewrite can happen: other requests (health, metrics) allocate nothing for it.
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                context.Items[RequestedPathKey] = context.Request.Path;
            }

            return next(context);
        });
        return app.UseRewriter(UnversionedRoutes());
    }

    /// <summary>The path the client asked for, before a route without a version was given one.</summary>
    public static PathString RequestedPath(HttpContext context) =>
        context.Items.TryGetValue(RequestedPathKey, out var path) && path is PathString requested ? requested : context.Request.Path;

    private const string RequestedPathKey = "Modular.RequestedPath";

    private static RewriteOptions UnversionedRoutes() => new RewriteOptions().AddRewrite(
        @"^api/(?!v\d+(?:/|$))(?!modules(?:/|$))(?!platform(?:/|$))(.+)$",
        Route(Default, "$1").TrimStart('/'),
        skipRemainingRules: true);
}
