using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Modular.BuildingBlocks.Security;

/// <summary>
/// The OpenAPI document declares the bearer scheme, which operations need it and how they refuse a caller (401, and
/// 403 where a role is required), so that the API reference page can send a token and clients know what to expect.
/// </summary>
public static class OpenApiSecurity
{
    public const string BearerScheme = "Bearer";

    public static OpenApiOptions AddBearerScheme(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from the configured OpenID Connect provider; locally, from 'dotnet Modular.Host.dll token'.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                return Task.CompletedTask;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", Problem("No valid bearer token was sent."));
            if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
            {
                operation.Responses.TryAdd("403", Problem("The token's roles do not allow this request."));
            }

            return Task.CompletedTask;
        });
        return options;
    }

    private static OpenApiResponse Problem(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
    };
}
