using System.Security.Claims;
using FluentValidation;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Modular.BuildingBlocks.Security;
using Modular.BuildingBlocks.Validation;
using Wolverine.Http;

namespace Modular.Modules.Ordering.Orders;

public sealed record ListOrders(string? CustomerId, OrderStatus? Status, int Page = 1, int PageSize = 20)
{
    public sealed class Validator : AbstractValidator<ListOrders>
    {
        public Validator()
        {
            RuleFor(x => x.CustomerId).MaximumLength(100);
            RuleFor(x => x.Page).MustBeAPage();
            RuleFor(x => x.PageSize).MustBeAPageSize();
        }
    }
}

public sealed record OrderSummary(Guid Id, string CustomerId, OrderStatus Status, decimal Total, string Currency, DateTimeOffset PlacedAt);

public sealed record OrderPage(IReadOnlyList<OrderSummary> Items, long TotalCount, int Page, int PageSize);

public static class ListOrdersEndpoint
{
    [WolverineGet("/orders")]
    [Authorize(Policy = Policies.Customer)]
    [EndpointSummary("List orders, newest first, by customer and status, a page at a time (a customer sees their own)")]
    [Tags("Ordering")]
    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> Get(
        string? customerId, OrderStatus? status, int? page, int? pageSize, ClaimsPrincipal user, IEnumerable<IValidator<ListOrders>> validators,
        IQuerySession session, CancellationToken cancellation)
    {
        var query = new ListOrders(customerId, status, page ?? 1, pageSize ?? 20);
        // Query strings bind to separate parameters, so the request-body validation policy cannot see this record.
        if (await BuildingBlocks.Validation.Validate.RequestAsync(validators, query, cancellation) is ValidationProblem invalid)
        {
            return invalid;
        }

        var orders = session.Query<Order>().AsQueryable();
        if (!user.IsStaff())
        {
            // A customer's list is their own orders; asking for another customer's finds nothing, as for one with no orders.
            var caller = user.Subject();
            orders = orders.Where(o => o.CustomerId == caller);
        }

        if (!string.IsNullOrWhiteSpace(query.CustomerId))
        {
            orders = orders.Where(o => o.CustomerId == query.CustomerId);
        }

        if (query.Status is { } wanted)
        {
            orders = orders.Where(o => o.Status == wanted);
        }

        var found = await orders.OrderByDescending(o => o.PlacedAt).ToPagedListAsync(query.Page, query.PageSize, cancellation);
        return TypedResults.Ok(new OrderPage(
            found.Select(o => new OrderSummary(o.Id, o.CustomerId, o.Status, o.Total, o.Currency, o.PlacedAt)).ToList(),
            found.TotalItemCount, query.Page, query.PageSize));
    }
}
