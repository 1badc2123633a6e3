using System.Globalization;
using System.Text.Json;
using FluentValidation;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Modular.BuildingBlocks.Hosting;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// Turns exceptions that escape an endpoint into RFC 9457 problem details whose status names the cause:
/// a duplicate or a lost concurrency race is a 409, unreadable input a 4xx, a database that cannot be reached a 503
/// with <c>Retry-After</c>, anything else a 500 that hides internals but carries the trace id to find them in the logs.
/// Client errors are logged as one Warning line without a stack trace; only a 500 is an Error with one. An exception's
/// message is never shown to the client: the framework's messages name .NET types and parameters.
/// </summary>
public sealed class ExceptionProblemDetails(IProblemDetailsService problemDetails, ModularOptions settings, ILogger<ExceptionProblemDetails> logger)
    : IExceptionHandler
{
    /// <summary>What a 503 for an unreachable database asks the client to wait: about one reconnection attempt.</summary>
    public const int DatabaseRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request; there is no one to answer and nothing went wrong here.
            logger.LogInformation("The client closed {Method} {Path} before it was answered", httpContext.Request.Method, httpContext.Request.Path.Value);
            httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }

        var problem = exception switch
        {
            ValidationException validation => new HttpValidationProblemDetails(validation.Errors
                .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray(), StringComparer.Ordinal))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is invalid.",
            },
            DocumentAlreadyExistsException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The resource already exists.",
                Detail = "Another request created it first.",
            },
            ConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The resource was changed by another request.",
                Detail = "Read it again and retry.",
            },
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request body is too large.",
                Detail = $"This API takes request bodies of at most {settings.MaxRequestBodyBytes} bytes.",
            },
            BadHttpRequestException { InnerException: JsonException } or JsonException => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid JSON for this endpoint.",
                Detail = "Check the body against the endpoint's schema in the OpenAPI document.",
            },
            BadHttpRequestException badRequest => new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = ReasonPhrases.GetReasonPhrase(badRequest.StatusCode),
                Detail = "The request could not be read as the OpenAPI document describes it: check its parameters, headers and body.",
            },
            _ when DatabaseOutage.IsCause(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable.",
                Detail = $"Retry in {DatabaseRetryAfterSeconds} s; a request with an Idempotency-Key is safe to repeat.",
            },
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The error is logged with this response's trace id.",
            },
        };

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // An outage of a dependency, not a defect: one line per request, without the stack.
            logger.LogWarning("{Method} {Path} answered 503: {Cause}", httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
            httpContext.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        else if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path.Value);
        }
        else
        {
            ClientErrors.Log(logger, httpContext, problem);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}
