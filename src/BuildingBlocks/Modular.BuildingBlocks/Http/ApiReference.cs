using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Security;
using Scalar.AspNetCore;

namespace Modular.BuildingBlocks.Http;

/// <summary>The <c>Modular:ApiReference</c> section.</summary>
public sealed class ApiReferenceSettings
{
    /// <summary>
    /// Whether this process serves the OpenAPI documents (<c>/openapi/v1.json</c>, one per API version) and the reference page <c>/scalar</c>. Unset: in the
    /// Development environment only. A deployment that publishes its API turns it on. See docs/adr/0021.
    /// </summary>
    public bool? Enabled { get; set; }
}

public static class ApiReference
{
    public const string PagePath = "/scalar";

    public static WebApplication MapApiReference(this WebApplication app, ApiReferenceSettings settings)
    {
        if (settings.Enabled ?? app.Environment.IsDevelopment())
        {
            // The API's description is public, as its routes' shapes are no secret; every route it describes needs a token.
            app.MapOpenApi().AllowAnonymous();
            // Its fonts come from this origin (the bundled ones) rather than Scalar's CDN, which the page's policy does not allow.
            app.MapScalarApiReference(PagePath, page =>
                {
                    page.DisableDefaultFonts().AddPreferredSecuritySchemes(OpenApiSecurity.BearerScheme);
                    // One document per API version, the newest first: the page offers a choice between them.
                    foreach (var version in ApiVersions.Published.OrderByDescending(v => v))
                    {
                        page.AddDocument(ApiVersions.DocumentName(version), $"Modular API {ApiVersions.DocumentName(version)}", isDefault: version == ApiVersions.Published.Max());
                    }
                })
                .AllowAnonymous();
        }

        return app;
    }
}
