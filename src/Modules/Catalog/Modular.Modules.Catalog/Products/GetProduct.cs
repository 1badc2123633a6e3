using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Marten;
using Wolverine.Http;

namespace Modular.Modules.Catalog.Products;

public static class GetProductEndpoint
{
    /// <summary>
    /// From <see cref="ProductReadCache"/>, with an entity tag: a client that sends it back in <c>If-None-Match</c> gets
    /// 304 Not Modified while the product is unchanged. <c>no-cache</c> makes clients and proxies ask every time, so the
    /// only staleness is the server's stated bound.
    /// </summary>
    [WolverineGet("/catalog/products/{sku}")]
    [Authorize]
    [EndpointSummary("Get a product by SKU")]
    [Tags("Catalog")]
    public static async Task<Results<Ok<ProductView>, StatusCodeHttpResult, ProblemHttpResult>> Get(
        string sku, ProductReadCache products, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        if (await products.GetAsync(BuildingBlocks.Domain.Sku.Normalize(sku), session, cancellation) is not { } product)
        {
            return TypedResults.Problem(ProductProblems.NotFound(sku));
        }

        http.Response.Headers.ETag = product.ETag;
        http.Response.Headers.CacheControl = "no-cache";
        return IsCurrent(http.Request, product.ETag) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(product.View);
    }

    private static bool IsCurrent(HttpRequest request, string etag) =>
        request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags
        && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
}
