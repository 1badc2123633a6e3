using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Modular.BuildingBlocks.Hosting;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// The platform's rules for what a request may carry, set once for every module's routes: body, header and request line limits, strict
/// JSON, a Content-Type for every body, typed query values and headers, and problem details for every error whatever
/// the Accept header, Kestrel's own refusals included. Module endpoints add no checks of their own for any of this. See docs/adr/0014.
/// </summary>
public static class InputHardening
{
    public static WebApplicationBuilder AddInputHardening(this WebApplicationBuilder builder, ModularOptions settings)
    {
        builder.Services.ConfigureHttpJsonOptions(json => StrictJson.Apply(json.SerializerOptions));
        // Registered before AddProblemDetails adds the framework's writer, so that it is asked first.
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonForAnyAccept>();
        builder.Services.AddSingleton<KestrelRejections>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel's default is 30 MB; this API's largest body (an order of 50 lines) is a few kilobytes.
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeaderCount = settings.MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestHeadersTotalSize = settings.MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestLineSize = settings.MaxRequestLineBytes;
            // The Server header names the web server to every scanner; no client of this API needs it.
            kestrel.AddServerHeader = false;
            KestrelRejections.Apply(kestrel);
        });
        return builder;
    }

    /// <summary>Goes after routing (the gate reads the matched endpoint's declarations) and before any endpoint.</summary>
    public static WebApplication UseInputHardening(this WebApplication app)
    {
        var listening = app.Services.GetRequiredService<KestrelRejections>().Listen(app.Services.GetRequiredService<DiagnosticListener>());
        app.Lifetime.ApplicationStopped.Register(listening.Dispose);
        app.UseMiddleware<RequestGate>();
        return app;
    }
}
