using FluentValidation;

namespace Modular.BuildingBlocks.Validation;

/// <summary>
/// Pages of a list: numbered from 1, at most <see cref="MaxPageSize"/> items, and never so deep that the offset
/// (page - 1) * size overflows and reaches the database as a negative OFFSET (a 500 for <c>?page=2147483647</c>).
/// </summary>
public static class PagingRules
{
    public const int MaxPageSize = 100;

    /// <summary>A million rows deep at the largest page size: further than anyone pages, far below an overflow.</summary>
    public const int MaxPage = 10_000;

    public static IRuleBuilderOptions<T, int> MustBeAPage<T>(this IRuleBuilder<T, int> rule) =>
        rule.InclusiveBetween(1, MaxPage).WithMessage($"Page must be from 1 to {MaxPage}.");

    public static IRuleBuilderOptions<T, int> MustBeAPageSize<T>(this IRuleBuilder<T, int> rule) =>
        rule.InclusiveBetween(1, MaxPageSize).WithMessage($"Page size must be from 1 to {MaxPageSize}.");
}
