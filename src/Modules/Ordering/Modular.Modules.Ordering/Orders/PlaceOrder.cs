using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Http;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Ordering.Fulfilment;
using Modular.Modules.Ordering.Pricing;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Ordering.Orders;

/// <summary>An order for the caller: the customer is the token's subject, never a field of the request.</summary>
public sealed record PlaceOrder(IReadOnlyList<PlaceOrder.Line> Lines, string PaymentToken)
{
    public const int MaxLines = 50;

    public sealed record Line(string Sku, int Quantity);

    public sealed class Validator : AbstractValidator<PlaceOrder>
    {
        public Validator()
        {
            RuleFor(x => x.PaymentToken).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Lines).NotEmpty().Must(lines => lines.Count <= MaxLines)
                .WithMessage($"An order has at most {MaxLines} lines.");
            RuleForEach(x => x.Lines).NotNull().ChildRules(line =>
            {
                line.RuleFor(l => l.Sku).NotEmpty().MaximumLength(BuildingBlocks.Domain.Sku.MaxLength);
                line.RuleFor(l => l.Quantity).InclusiveBetween(1, 1000);
            });
            RuleFor(x => x.Lines)
                .Must(lines => lines.Where(l => l?.Sku is not null).GroupBy(l => BuildingBlocks.Domain.Sku.Normalize(l.Sku)).All(g => g.Count() == 1))
                .When(x => x.Lines is not null)
                .WithMessage("Each SKU may appear on one line only; put the whole quantity on it.");
        }
    }

}

/// <summary>The answer to a placed order: where to watch it.</summary>
public sealed record OrderAccepted(Guid OrderId);

/// <summary>Ordering's prices for the SKUs of one request.</summary>
public sealed record PriceList(IReadOnlyDictionary<string, CatalogPrice> Prices);

/// <summary>
/// The first request made with an <c>Idempotency-Key</c>: a repeat by the same customer with the same request is
/// answered with the same order; any other use of the key is refused. Stored in the same transaction as the order.
/// </summary>
public sealed record OrderRequest(string IdempotencyKey, string Fingerprint, Guid OrderId)
{
    public static string FingerprintOf(PlaceOrder command, string customerId) => Convert.ToHexString(SHA256.HashData(
        Encoding.UTF8.GetBytes(customerId + "\n" + JsonSerializer.Serialize(command with
        {
            Lines = command.Lines.Select(l => l with { Sku = BuildingBlocks.Domain.Sku.Normalize(l.Sku) }).ToList(),
        }))));
}

public static class PlaceOrderEndpoint
{
    public const string IdempotencyKeyHeader = IdempotencyKey.Header;

    public static async Task<(OrderRequest?, PriceList)> LoadAsync(
        PlaceOrder command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, IQuerySession session, CancellationToken cancellation)
    {
        var previous = string.IsNullOrWhiteSpace(idempotencyKey) ? null : await session.LoadAsync<OrderRequest>(idempotencyKey, cancellation);
        var prices = await session.LoadManyAsync<CatalogPrice>(cancellation, command.Lines.Select(l => BuildingBlocks.Domain.Sku.Normalize(l.Sku)));
        return (previous, new PriceList(prices.ToDictionary(p => p.Sku, StringComparer.Ordinal)));
    }

    public static ProblemDetails Validate(
        PlaceOrder command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, OrderRequest? previous, PriceList prices, ClaimsPrincipal user)
    {
        if (IdempotencyKey.Problem(idempotencyKey) is { } invalidKey)
        {
            return invalidKey;
        }

        if (previous is not null)
        {
            return previous.Fingerprint == OrderRequest.FingerprintOf(command, user.Subject()) ? WolverineContinue.NoProblems : IdempotencyKey.Reused();
        }

        return UnsellableLines(command, prices);
    }

    [WolverinePost("/orders")]

    [Authorize(Policy = Policies.Customer)]
    [EndpointSummary("Place an order (send an Idempotency-Key header)")]
    [Tags("Ordering")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public static (Accepted<OrderAccepted>, IMartenOp, IMartenOp, OutgoingMessages) Post(
        PlaceOrder command, [FromHeader(Name = IdempotencyKeyHeader)] string idempotencyKey, OrderRequest? previous, PriceList prices,
        ClaimsPrincipal user, OrderDeadlineOptions deadlines, PaymentTokenSealer paymentTokens, TimeProvider clock)
    {
        if (previous is not null)
        {
            return (Accepted(previous.OrderId), MartenOps.Nothing(), MartenOps.Nothing(), []);
        }

        var orderId = Guid.CreateVersion7(clock.GetUtcNow());
        var lines = command.Lines.Select(line =>
        {
            var price = prices.Prices[BuildingBlocks.Domain.Sku.Normalize(line.Sku)];
            return new OrderLine(price.Sku, price.Name, line.Quantity, price.Price);
        }).ToList();
        var currency = prices.Prices[lines[0].Sku].Currency;
        var (placed, reserve) = Order.Place(orderId, user.Subject(), lines, currency, paymentTokens.Seal(orderId, command.PaymentToken), clock.GetUtcNow());
        OrderingMetrics.OrderPlaced();

        return (Accepted(orderId),
            MartenOps.StartStream<Order>(orderId, placed),
            MartenOps.Insert(new OrderRequest(idempotencyKey, OrderRequest.FingerprintOf(command, user.Subject()), orderId)),
            [reserve, ..deadlines.ScheduleFor(orderId, placed.PlacedAt)]);
    }

    private static Accepted<OrderAccepted> Accepted(Guid orderId) => TypedResults.Accepted(OrderView.UrlFor(orderId), new OrderAccepted(orderId));

    /// <summary>Lines Ordering cannot price now: unknown to the catalog, discontinued, or in another currency than the rest.</summary>
    private static ProblemDetails UnsellableLines(PlaceOrder command, PriceList prices)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < command.Lines.Count; i++)
        {
            var sku = BuildingBlocks.Domain.Sku.Normalize(command.Lines[i].Sku);
            var problem = prices.Prices.GetValueOrDefault(sku) switch
            {
                null or { IsSellable: false, Discontinued: false } => $"SKU {sku} is not in the catalog.",
                { Discontinued: true } => $"SKU {sku} is discontinued.",
                _ => null,
            };
            if (problem is not null)
            {
                errors[$"Lines[{i}].Sku"] = [problem];
            }
        }

        var currencies = prices.Prices.Values.Where(p => p.IsSellable).Select(p => p.Currency).Distinct().ToList();
        if (errors.Count == 0 && currencies.Count > 1)
        {
            errors["Lines"] = [$"All lines of an order must be priced in one currency; these are in {string.Join(", ", currencies)}."];
        }

        return errors.Count == 0
            ? WolverineContinue.NoProblems
            : new HttpValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Some lines cannot be ordered.",
            };
    }
}
