using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Modular.Modules.Catalog.Products;

public static class GetProductEndpoint
{
    [WolverineGet("/api/catalog/products/{sku}")]
    [Authorize]
    [EndpointSummary("Get a product by SKU")]
    [Tags("Catalog")]
    public static async Task<Results<Ok<ProductView>, ProblemHttpResult>> Get(string sku, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Product>(Product.NormalizeSku(sku), cancellation) is { } product
            ? TypedResults.Ok(ProductView.From(product))
            : TypedResults.Problem(ProductProblems.NotFound(sku));
}
