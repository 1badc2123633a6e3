using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Modular.Modules.Catalog.Products;

/// <summary>The problem details the product endpoints answer with when a product cannot be changed.</summary>
internal static class ProductProblems
{
    public static ProblemDetails NotFound(string sku) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "No such product.",
        Detail = $"The catalog has no product with SKU {BuildingBlocks.Domain.Sku.Normalize(sku)}.",
    };

    public static ProblemDetails ExistingAndActive(Product? product, string sku) => product switch
    {
        null => NotFound(sku),
        { Status: ProductStatus.Discontinued } => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The product is discontinued.",
            Detail = $"Product {product.Sku} is discontinued; it can no longer change.",
        },
        _ => WolverineContinue.NoProblems,
    };
}
