using FluentValidation;
using Marten;
using Modular.BuildingBlocks.Validation;
using Modular.Modules.Catalog.Contracts;
using Wolverine.Marten;

namespace Modular.Modules.Ordering.Pricing;

public sealed class ProductAddedValidator : AbstractValidator<ProductAdded>
{
    public ProductAddedValidator()
    {
        RuleFor(x => x.Sku).MustBeCatalogSku();
        RuleFor(x => x.Name).NotEmpty();
        RuleFor(x => x.Price).MustBePositivePrice();
        RuleFor(x => x.Currency).MustBeIsoCurrency();
    }
}

public sealed class ProductPriceChangedValidator : AbstractValidator<ProductPriceChanged>
{
    public ProductPriceChangedValidator()
    {
        RuleFor(x => x.Sku).MustBeCatalogSku();
        RuleFor(x => x.Price).MustBePositivePrice();
        RuleFor(x => x.Currency).MustBeIsoCurrency();
    }
}

public sealed class ProductDiscontinuedValidator : AbstractValidator<ProductDiscontinued>
{
    public ProductDiscontinuedValidator() => RuleFor(x => x.Sku).MustBeCatalogSku();
}

/// <summary>Keeps Ordering's price list current from Catalog's events, whatever order they arrive in.</summary>
public static class PriceListHandler
{
    public static async Task<IMartenOp> Handle(ProductAdded added, IDocumentSession session, CancellationToken cancellation)
    {
        var price = await LoadAsync(session, added.Sku, cancellation);
        price.Named(added.Name);
        price.Reprice(added.Price, added.Currency, added.AddedAt);
        return MartenOps.Store(price);
    }

    public static async Task<IMartenOp> Handle(ProductPriceChanged changed, IDocumentSession session, CancellationToken cancellation)
    {
        var price = await LoadAsync(session, changed.Sku, cancellation);
        return price.Reprice(changed.Price, changed.Currency, changed.ChangedAt) ? MartenOps.Store(price) : MartenOps.Nothing();
    }

    public static async Task<IMartenOp> Handle(ProductDiscontinued discontinued, IDocumentSession session, CancellationToken cancellation)
    {
        var price = await LoadAsync(session, discontinued.Sku, cancellation);
        price.Discontinue();
        return MartenOps.Store(price);
    }

    private static async Task<CatalogPrice> LoadAsync(IDocumentSession session, string sku, CancellationToken cancellation) =>
        await session.LoadAsync<CatalogPrice>(sku, cancellation) ?? CatalogPrice.Unknown(sku);
}
