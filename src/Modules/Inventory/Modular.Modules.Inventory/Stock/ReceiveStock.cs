using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Inventory.Stock;

/// <summary>Goods of one SKU arrived at the warehouse.</summary>
public sealed record ReceiveStock(int Quantity)
{
    public sealed class Validator : AbstractValidator<ReceiveStock>
    {
        public Validator() => RuleFor(x => x.Quantity).InclusiveBetween(1, 1_000_000);
    }
}

public static class ReceiveStockEndpoint
{
    public static Task<StockItem?> LoadAsync(string sku, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<StockItem>(StockItem.NormalizeSku(sku), cancellation);

    public static ProblemDetails Validate(ReceiveStock receipt, StockItem? item, string sku) => item switch
    {
        null => StockProblems.UnknownSku(sku),
        _ when item.CannotReceive(receipt.Quantity) is { } reason => StockProblems.CannotReceive(item, reason),
        _ => WolverineContinue.NoProblems,
    };

    [WolverinePost("/api/inventory/stock/{sku}/receipts")]
    [EndpointSummary("Receive stock of a SKU")]
    [Tags("Inventory")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public static (StockView, IMartenOp) Post(ReceiveStock receipt, [NotBody] StockItem item)
    {
        item.Receive(receipt.Quantity);
        return (StockView.From(item), MartenOps.Store(item));
    }
}
