using FluentValidation;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Modular.BuildingBlocks.Security;
using Modular.BuildingBlocks.Validation;
using Modular.Modules.Ordering.Fulfilment;
using Wolverine.Http;

namespace Modular.Modules.Ordering.Orders;

/// <param name="OlderThanSeconds">How long an order may wait for an ending before it needs attention.</param>
public sealed record ListOrdersNeedingAttention(int OlderThanSeconds = ListOrdersNeedingAttention.DefaultOlderThanSeconds, int Page = 1, int PageSize = 20)
{
    public const int DefaultOlderThanSeconds = 30;

    public sealed class Validator : AbstractValidator<ListOrdersNeedingAttention>
    {
        public Validator()
        {
            RuleFor(x => x.OlderThanSeconds).InclusiveBetween(0, (int)TimeSpan.FromDays(365).TotalSeconds)
                .WithMessage("'olderThanSeconds' must be from 0 to a year (31536000).");
            RuleFor(x => x.Page).MustBeAPage();
            RuleFor(x => x.PageSize).MustBeAPageSize();
        }
    }
}

/// <param name="WaitingFor">What the order waits for now, in words.</param>
/// <param name="NextDeadline">What the order's next deadline will do and when; null when none is left to act on it.</param>
/// <param name="Advice">What an operator can do about it.</param>
public sealed record OrderNeedingAttention(
    Guid Id, string CustomerId, OrderStatus Status, decimal Total, string Currency, DateTimeOffset PlacedAt, double WaitingSeconds,
    string WaitingFor, DeadlineAhead? NextDeadline, string Advice, IReadOnlyList<TimelineEntry> Timeline, string? TraceId);

public sealed record OrdersNeedingAttentionPage(
    IReadOnlyList<OrderNeedingAttention> Items, long TotalCount, int Page, int PageSize, int OlderThanSeconds, DateTimeOffset At);

/// <summary>
/// Orders placed longer ago than a threshold that have not ended, oldest first: the ones an operator looks at. Each
/// says what it waits for, what its next deadline will do to it and when, and what an operator can do meanwhile.
/// </summary>
public static class ListOrdersNeedingAttentionEndpoint
{
    private static readonly OrderStatus[] NotFinal =
        [OrderStatus.Placed, OrderStatus.StockReserved, OrderStatus.Rejecting, OrderStatus.Cancelling, OrderStatus.Expiring];

    [WolverineGet("/orders/attention")]
    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Orders not ended this long after placing, oldest first, with their timeline and what their next deadline will do")]
    [Tags("Ordering")]
    public static async Task<Results<Ok<OrdersNeedingAttentionPage>, ValidationProblem>> Get(
        int? olderThanSeconds, int? page, int? pageSize, IEnumerable<IValidator<ListOrdersNeedingAttention>> validators,
        IQuerySession session, OrderDeadlineOptions deadlines, TimeProvider clock, CancellationToken cancellation)
    {
        var query = new ListOrdersNeedingAttention(olderThanSeconds ?? ListOrdersNeedingAttention.DefaultOlderThanSeconds, page ?? 1, pageSize ?? 20);
        // Query strings bind to separate parameters, so the request-body validation policy cannot see this record.
        if (await BuildingBlocks.Validation.Validate.RequestAsync(validators, query, cancellation) is ValidationProblem invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        var placedBefore = now - TimeSpan.FromSeconds(query.OlderThanSeconds);
        var found = await session.Query<Order>()
            .Where(o => NotFinal.Contains(o.Status) && o.PlacedAt <= placedBefore)
            .OrderBy(o => o.PlacedAt)
            .ToPagedListAsync(query.Page, query.PageSize, cancellation);

        // Every listed order's events in one query, not one per order.
        var ids = found.Select(o => o.Id).ToArray();
        var events = (await session.Events.QueryAllRawEvents().Where(e => ids.Contains(e.StreamId)).ToListAsync(cancellation))
            .ToLookup(e => e.StreamId);
        var items = new List<OrderNeedingAttention>();
        foreach (var order in found)
        {
            var view = OrderView.From(order, events[order.Id].OrderBy(e => e.Version).ToList());
            var next = order.NextDeadline(deadlines.Payment, deadlines.Overall, now);
            items.Add(new OrderNeedingAttention(
                order.Id, order.CustomerId, order.Status, order.Total, order.Currency, order.PlacedAt,
                Math.Round((now - order.PlacedAt).TotalSeconds, 1), WaitingFor(order), next, Advice(order, next), view.Timeline, view.TraceId));
        }

        return TypedResults.Ok(new OrdersNeedingAttentionPage(items, found.TotalItemCount, query.Page, query.PageSize, query.OlderThanSeconds, now));
    }

    private static string WaitingFor(Order order) => order.Status switch
    {
        OrderStatus.Placed => "Inventory to reserve its stock (ReserveStock)",
        OrderStatus.StockReserved => "Payments to authorise the payment (AuthorizePayment)",
        _ => order.Unanswered() is { Count: > 0 } unanswered
            ? $"answers to {string.Join(" and ", unanswered)}"
            : "its last answer to be recorded",
    };

    private static string Advice(Order order, DeadlineAhead? next)
    {
        var waiting = order.Status is OrderStatus.Placed or OrderStatus.StockReserved;
        if (next is null && waiting)
        {
            // Either deadline would have ended it: its deadline message has not been handled.
            return "Its deadlines have passed without ending it: look for its EnforceOrderDeadline in Ordering's dead letters (or a paused inbox).";
        }

        var owners = order.Status switch
        {
            OrderStatus.Placed => "Inventory",
            OrderStatus.StockReserved => "Payments",
            _ => string.Join(" and ", order.Unanswered().Select(u => u.Module)),
        };
        var deadLetters = owners.Length == 0 ? "the dead letters" : $"the dead letters of {owners}";
        return next is null
            ? $"No deadline is left to act on it: look in {deadLetters} and replay the message once its cause is fixed."
            : $"Nothing yet: its {next.Deadline.ToString().ToLowerInvariant()} deadline acts on its own; meanwhile look in {deadLetters} for its messages.";
    }
}
