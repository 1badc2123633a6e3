using System.Collections.Concurrent;
using System.Reflection;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Modular.BuildingBlocks.Validation;

/// <summary>The calls <see cref="ValidationPolicy"/> weaves in front of handlers and endpoints.</summary>
public static class Validate
{
    // Asked for every message handled: GetName() builds a new AssemblyName each time, so remember the answer.
    private static readonly ConcurrentDictionary<Assembly, string?> AssemblyNames = new();

    /// <summary>
    /// Before a message handler: the validators of the handler's own module (<paramref name="moduleAssembly"/>) decide
    /// what it accepts; an invalid message is a permanent failure, never retried.
    /// </summary>
    public static async Task MessageAsync<T>(IEnumerable<IValidator<T>> validators, T message, string moduleAssembly, CancellationToken cancellation)
    {
        var own = validators.Where(v => string.Equals(AssemblyNames.GetOrAdd(v.GetType().Assembly, a => a.GetName().Name), moduleAssembly, StringComparison.Ordinal));
        var failures = await FailuresAsync(own, message, cancellation);
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }

    /// <summary>Before an HTTP endpoint: an invalid body ends the request with a 400 naming each invalid field.</summary>
    public static async Task<IResult> RequestAsync<T>(IEnumerable<IValidator<T>> validators, T request, CancellationToken cancellation)
    {
        if (request is null)
        {
            // The request gate refuses a null body first (docs/adr/0014); validators cannot take one, so never pass it on.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["Expected an object, not null."] },
                detail: "$: expected an object, not null.", title: "The request body is invalid.");
        }

        var failures = await FailuresAsync(validators, request, cancellation);
        if (failures.Count == 0)
        {
            return WolverineContinue.Result();
        }

        var errors = failures
            .GroupBy(f => f.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
        return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
    }

    private static async Task<List<ValidationFailure>> FailuresAsync<T>(
        IEnumerable<IValidator<T>> validators, T instance, CancellationToken cancellation)
    {
        var failures = new List<ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(instance, cancellation);
            failures.AddRange(result.Errors);
        }

        return failures;
    }
}
