using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Domain;
using Modular.BuildingBlocks.Security;
using Modular.BuildingBlocks.Validation;
using Modular.Modules.Catalog.Contracts;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Catalog.Products;

public sealed record AddProduct(string Sku, string Name, string? Description, decimal Price, string Currency)
{
    public sealed class Validator : AbstractValidator<AddProduct>
    {
        public Validator()
        {
            RuleFor(x => x.Sku).NotEmpty().Matches("^[A-Za-z0-9][A-Za-z0-9-]{1,39}$")
                .WithMessage("SKU must be 2 to 40 letters, digits or dashes, starting with a letter or digit.");
            RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Description).MaximumLength(2000);
            RuleFor(x => x.Price).MustBePositivePrice();
            RuleFor(x => x.Currency).MustBeIsoCurrency();
        }
    }
}

public static class AddProductEndpoint
{
    /// <summary>A friendly 409 for the common case; a race past it ends in the same 409 from the unique identity.</summary>
    public static async Task<ProblemDetails> ValidateAsync(AddProduct command, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Product>(BuildingBlocks.Domain.Sku.Normalize(command.Sku), cancellation) is null
            ? WolverineContinue.NoProblems
            : new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The SKU is already in the catalog.",
                Detail = $"A product with SKU {BuildingBlocks.Domain.Sku.Normalize(command.Sku)} exists.",
            };

    [WolverinePost("/catalog/products")]

    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Add a product to the catalog")]
    [Tags("Catalog")]
    public static (Created<ProductView>, ProductAdded, IMartenOp) Post(AddProduct command, TimeProvider clock)
    {
        var (product, added) = Product.Add(command.Sku, command.Name, command.Description,
            new Money(command.Price, command.Currency), clock.GetUtcNow());
        return (TypedResults.Created(ProductView.UrlFor(product.Sku), ProductView.From(product)),
            added, MartenOps.Insert(product));
    }
}
