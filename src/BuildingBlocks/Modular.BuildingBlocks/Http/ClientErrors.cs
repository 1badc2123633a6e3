using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// How the platform refuses a request the client got wrong: an RFC 9457 problem, and one Warning line without a stack
/// trace (a client that sends garbage must not be able to fill the log with stack traces, nor hide among Errors).
/// </summary>
public static class ClientErrors
{
    public static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    /// <summary>A 400 that names each invalid value, keyed as the client sent it (a JSON path, a query parameter).</summary>
    public static HttpValidationProblemDetails Invalid(string title, string where, string problem) =>
        new(new Dictionary<string, string[]> { [where] = [char.ToUpperInvariant(problem[0]) + problem[1..]] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = title,
            Detail = $"{where}: {problem}",
        };

    public static async Task WriteAsync(HttpContext context, ProblemDetails problem, IProblemDetailsService problems, ILogger logger)
    {
        Log(logger, context, problem);
        context.Response.StatusCode = problem.Status!.Value;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    public static void Log(ILogger logger, HttpContext context, ProblemDetails problem) =>
        logger.LogWarning("Refused {Method} {Path} with {Status}: {Problem}",
            context.Request.Method, context.Request.Path.Value, problem.Status, problem.Detail ?? problem.Title);
}
