using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Catalog.Contracts;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Catalog.Products;

public static class DiscontinueProductEndpoint
{
    public static Task<Product?> LoadAsync(string sku, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<Product>(BuildingBlocks.Domain.Sku.Normalize(sku), cancellation);

    public static ProblemDetails Validate(Product? product, string sku) =>
        product is null ? ProductProblems.NotFound(sku) : WolverineContinue.NoProblems;

    /// <summary>Discontinuing is final and idempotent: a second call answers the same and publishes nothing.</summary>
    [WolverinePost("/catalog/products/{sku}/discontinue")]
    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Discontinue a product (final)")]
    [Tags("Catalog")]
    public static (ProductView, ProductDiscontinued?, IMartenOp) Post([NotBody] Product product, TimeProvider clock)
    {
        var discontinued = product.Discontinue(clock.GetUtcNow());
        return (ProductView.From(product), discontinued, discontinued is null ? MartenOps.Nothing() : MartenOps.Store(product));
    }

    /// <summary>This process's cached copy is forgotten: its next read shows the change (docs/adr/0032).</summary>
    public static void After(Product product, ProductReadCache products) => products.Forget(product.Sku);
}
