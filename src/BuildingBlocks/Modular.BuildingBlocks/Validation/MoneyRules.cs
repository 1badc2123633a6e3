using FluentValidation;
using Modular.BuildingBlocks.Domain;

namespace Modular.BuildingBlocks.Validation;

public static class MoneyRules
{
    public static IRuleBuilderOptions<T, decimal> MustBePositivePrice<T>(this IRuleBuilder<T, decimal> rule) =>
        rule.GreaterThan(0m).WithMessage("Price must be greater than zero.")
            .PrecisionScale(18, 2, ignoreTrailingZeros: true).WithMessage("Price must have at most 2 decimal places.");

    public static IRuleBuilderOptions<T, string> MustBeIsoCurrency<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(Currencies.IsIso4217).WithMessage("Currency must be an ISO 4217 code in upper case, such as EUR or USD.");
}
