using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Modular.Modules.Inventory.Stock;

internal static class StockProblems
{
    public static ProblemDetails UnknownSku(string sku) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "No such SKU in the inventory.",
        Detail = $"Inventory has not heard of SKU {BuildingBlocks.Domain.Sku.Normalize(sku)} from the catalog. " +
                 "A product just added to the catalog reaches Inventory within moments; add it to the catalog first.",
    };

    public static ProblemDetails CannotReceive(StockItem item, string reason) => new()
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Title = "The stock cannot be received.",
        Detail = $"SKU {item.Sku}: {reason}.",
    };
}
