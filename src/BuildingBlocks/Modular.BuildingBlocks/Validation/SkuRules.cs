using FluentValidation;
using Modular.BuildingBlocks.Domain;

namespace Modular.BuildingBlocks.Validation;

public static class SkuRules
{
    /// <summary>For SKUs that arrive in messages: Catalog publishes them normalised, so anything else is not Catalog's.</summary>
    public static IRuleBuilderOptions<T, string> MustBeCatalogSku<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(Sku.IsNormalized).WithMessage($"SKU must be 1 to {Sku.MaxLength} characters, trimmed and in upper case, as Catalog publishes it.");
}
