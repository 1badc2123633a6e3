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
    /// Whether this process serves <c>/openapi/v1.json</c> and the reference page <c>/scalar</c>. Unset: in the
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
            app.MapScalarApiReference(PagePath, page => page.DisableDefaultFonts().AddPreferredSecuritySchemes(OpenApiSecurity.BearerScheme))
                .AllowAnonymous();
        }

        return app;
    }
}
