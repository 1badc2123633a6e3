using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// Every error of this API is application/problem+json, whatever the request's Accept header says: RFC 9110 lets a
/// server disregard Accept rather than answer 406, and the framework's own writer declines a client that accepts no
/// JSON (a browser's <c>Accept: text/html</c>), which leaves a text/plain status line or, for a direct write, an
/// exception. This writer goes first and hands every problem to the framework's writer, defaults and trace id included.
/// </summary>
public sealed class ProblemJsonForAnyAccept(IServiceProvider services) : IProblemDetailsWriter
{
    private IProblemDetailsWriter? _framework;

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context) =>
        (_framework ??= services.GetServices<IProblemDetailsWriter>().First(writer => writer is not ProblemJsonForAnyAccept)).WriteAsync(context);
}
