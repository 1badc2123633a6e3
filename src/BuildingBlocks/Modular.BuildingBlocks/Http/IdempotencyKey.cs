using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// The <c>Idempotency-Key</c> request header that makes a retried write safe: the first request made with a key is
/// stored beside its effect, in the same transaction, and a repeat is answered from it instead of acting twice.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;

    /// <summary>A 400 naming the header when it is missing or too long; null when it is usable.</summary>
    public static ProblemDetails? Problem(string? key) =>
        string.IsNullOrWhiteSpace(key) || key.Length > MaxLength
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [Header] = [$"An {Header} header of 1 to {MaxLength} characters is required, so that a retried request acts once."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is invalid.",
            }
            : null;

    /// <summary>The 409 for a key already used for a different request.</summary>
    public static ProblemDetails Reused() => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = $"The {Header} was already used for a different request.",
        Detail = $"A request with other contents was made with this key. Use a new key for a new request.",
    };
}
