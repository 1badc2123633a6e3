using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Domain;
using Modular.BuildingBlocks.Security;
using Modular.BuildingBlocks.Validation;
using Modular.Modules.Catalog.Contracts;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Catalog.Products;

public sealed record ChangePrice(decimal Price, string Currency)
{
    public sealed class Validator : AbstractValidator<ChangePrice>
    {
        public Validator()
        {
            RuleFor(x => x.Price).MustBePositivePrice();
            RuleFor(x => x.Currency).MustBeIsoCurrency();
        }
    }
}

public static class ChangePriceEndpoint
{
    public static Task<Product?> LoadAsync(string sku, IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<Product>(BuildingBlocks.Domain.Sku.Normalize(sku), cancellation);

    public static ProblemDetails Validate(Product? product, string sku) => ProductProblems.ExistingAndActive(product, sku);

    /// <summary>Setting the price it already has changes nothing and publishes nothing.</summary>
    [WolverinePut("/catalog/products/{sku}/price")]
    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Change the price of a product")]
    [Tags("Catalog")]
    public static (ProductView, ProductPriceChanged?, IMartenOp) Put(ChangePrice command, [NotBody] Product product, TimeProvider clock)
    {
        var changed = product.ChangePrice(new Money(command.Price, command.Currency), clock.GetUtcNow());
        return (ProductView.From(product), changed, changed is null ? MartenOps.Nothing() : MartenOps.Store(product));
    }

    /// <summary>This process's cached copy is forgotten: its next read shows the change (docs/adr/0032).</summary>
    public static void After(Product product, ProductReadCache products) => products.Forget(product.Sku);
}
