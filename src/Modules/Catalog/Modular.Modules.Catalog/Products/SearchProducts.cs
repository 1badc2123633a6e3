using FluentValidation;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Modular.BuildingBlocks.Validation;
using Wolverine.Http;

namespace Modular.Modules.Catalog.Products;

public sealed record SearchProducts(string? Search, int Page = 1, int PageSize = 20)
{
    public sealed class Validator : AbstractValidator<SearchProducts>
    {
        public Validator()
        {
            RuleFor(x => x.Search).MaximumLength(200);
            RuleFor(x => x.Page).MustBeAPage();
            RuleFor(x => x.PageSize).MustBeAPageSize();
        }
    }
}

public sealed record ProductPage(IReadOnlyList<ProductView> Items, long TotalCount, int Page, int PageSize);

public static class SearchProductsEndpoint
{
    [WolverineGet("/catalog/products")]
    [Authorize]
    [EndpointSummary("Search products by name or SKU, a page at a time")]
    [Tags("Catalog")]
    public static async Task<Results<Ok<ProductPage>, ValidationProblem>> Get(
        string? search, int? page, int? pageSize, IEnumerable<IValidator<SearchProducts>> validators, IQuerySession session,
        CancellationToken cancellation)
    {
        var query = new SearchProducts(search, page ?? 1, pageSize ?? 20);
        var invalid = await Validation(validators, query, cancellation);
        if (invalid is not null)
        {
            return invalid;
        }

        var products = session.Query<Product>();
        var matching = string.IsNullOrWhiteSpace(query.Search)
            ? products
            : products.Where(p => p.Name.Contains(query.Search, StringComparison.OrdinalIgnoreCase)
                                  || p.Sku.Contains(query.Search, StringComparison.OrdinalIgnoreCase));
        var found = await matching.OrderBy(p => p.Sku).ToPagedListAsync(query.Page, query.PageSize, cancellation);
        return TypedResults.Ok(new ProductPage(found.Select(ProductView.From).ToList(), found.TotalItemCount, query.Page, query.PageSize));
    }

    // Query strings bind to separate parameters, so the request-body validation policy cannot see this record.
    private static async Task<ValidationProblem?> Validation(IEnumerable<IValidator<SearchProducts>> validators, SearchProducts query, CancellationToken cancellation)
    {
        var result = await BuildingBlocks.Validation.Validate.RequestAsync(validators, query, cancellation);
        return result as ValidationProblem;
    }
}
