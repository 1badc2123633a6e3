using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace Modular.Modules.Inventory.Stock;

public static class GetStockEndpoint
{
    [WolverineGet("/inventory/stock/{sku}")]
    [Authorize]
    [EndpointSummary("Get the stock of a SKU: on hand, reserved and available")]
    [Tags("Inventory")]
    public static async Task<Results<Ok<StockView>, ProblemHttpResult>> Get(string sku, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<StockItem>(BuildingBlocks.Domain.Sku.Normalize(sku), cancellation) is { } item
            ? TypedResults.Ok(StockView.From(item))
            : TypedResults.Problem(StockProblems.UnknownSku(sku));
}
