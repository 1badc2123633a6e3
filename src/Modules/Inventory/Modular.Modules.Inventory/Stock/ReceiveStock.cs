using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Http;
using Modular.BuildingBlocks.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Inventory.Stock;

/// <summary>Goods of one SKU arrived at the warehouse.</summary>
public sealed record ReceiveStock(int Quantity)
{
    public const int MaxQuantity = 1_000_000;

    public sealed class Validator : AbstractValidator<ReceiveStock>
    {
        public Validator() => RuleFor(x => x.Quantity).InclusiveBetween(1, MaxQuantity);
    }
}

/// <summary>
/// A receipt made with an <c>Idempotency-Key</c>, stored with the stock it changed in one transaction: a client that
/// retries after a lost answer receives the goods once.
/// </summary>
public sealed record StockReceipt(string IdempotencyKey, string Sku, int Quantity);

public static class ReceiveStockEndpoint
{
    public static async Task<(StockItem?, StockReceipt?)> LoadAsync(
        string sku, [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, IDocumentSession session, CancellationToken cancellation)
    {
        var item = await session.LoadAsync<StockItem>(BuildingBlocks.Domain.Sku.Normalize(sku), cancellation);
        var previous = IdempotencyKey.Problem(idempotencyKey) is null ? await session.LoadAsync<StockReceipt>(idempotencyKey!, cancellation) : null;
        return (item, previous);
    }

    public static ProblemDetails Validate(
        ReceiveStock receipt, StockItem? item, StockReceipt? previous, string sku, [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey) =>
        IdempotencyKey.Problem(idempotencyKey)
        ?? (item is null ? StockProblems.UnknownSku(sku)
            : previous is not null ? (previous.Sku != item.Sku || previous.Quantity != receipt.Quantity ? IdempotencyKey.Reused() : WolverineContinue.NoProblems)
            : item.CannotReceive(receipt.Quantity) is { } reason ? StockProblems.CannotReceive(item, reason)
            : WolverineContinue.NoProblems);

    /// <summary>A repeat with the same key and request answers with the stock as it is now and receives nothing.</summary>
    [WolverinePost("/inventory/stock/{sku}/receipts")]
    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Receive stock of a SKU (send an Idempotency-Key header)")]
    [Tags("Inventory")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public static (StockView, IMartenOp, IMartenOp) Post(
        ReceiveStock receipt, [NotBody] StockItem item, StockReceipt? previous, [FromHeader(Name = IdempotencyKey.Header)] string idempotencyKey)
    {
        if (previous is not null)
        {
            return (StockView.From(item), MartenOps.Nothing(), MartenOps.Nothing());
        }

        item.Receive(receipt.Quantity);
        return (StockView.From(item), MartenOps.Store(item), MartenOps.Insert(new StockReceipt(idempotencyKey, item.Sku, receipt.Quantity)));
    }
}
