using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Modules;
using Modular.BuildingBlocks.Validation;
using Yarp.ReverseProxy.Configuration;

namespace Modular.BuildingBlocks.Operations;

/// <summary>
/// <c>/api/platform/dead-letters</c>: list, read, replay and discard the messages this process's modules gave up on.
/// Each process answers for its own envelope schema; a gateway forwards a request naming a module it forwards to
/// (<c>?module=Payments</c>) to that module's process. See docs/adr/0015.
/// </summary>
public static class DeadLetterEndpoints
{
    public const string Route = "/api/platform/dead-letters";

    /// <summary>Maps the routes as one group, so that one authorisation policy can be attached to all of them.</summary>
    public static RouteGroupBuilder MapDeadLetters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).WithTags("Platform");
        group.MapGet("/", ListAsync)
            .WithSummary("This process's dead letters, newest first, by module, message type and exception type, a page at a time");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("One dead letter, with its message");
        group.MapPost("/{id:guid}/replay", ReplayOneAsync).WithSummary("Sends one dead letter back to its module's inbox");
        group.MapDelete("/{id:guid}", DiscardOneAsync).WithSummary("Deletes one dead letter");
        group.MapPost("/replay", ReplayManyAsync)
            .WithSummary("Sends the dead letters named by ids (body) and filters (query) back to their inboxes");
        group.MapPost("/discard", DiscardManyAsync).WithSummary("Deletes the dead letters named by ids (body) and filters (query)");
        return group;
    }

    /// <summary>On a gateway: requests naming a module hosted elsewhere go to that module's process, which holds its dead letters.</summary>
    public static RouteConfig ForwardingRoute(IModule remote) => new()
    {
        RouteId = $"{remote.Name}-dead-letters",
        ClusterId = remote.Name,
        // Ahead of this process's own dead-letter routes, which answer every other request.
        Order = -1,
        Match = new RouteMatch
        {
            Path = Route + "/{**rest}",
            QueryParameters =
            [
                new RouteQueryParameter { Name = "module", Values = [remote.Name], Mode = QueryParameterMatchMode.Exact, IsCaseSensitive = false },
            ],
        },
    };

    private static async Task<Results<Ok<DeadLetterPage>, ValidationProblem>> ListAsync(
        string? module, string? messageType, string? exceptionType, int? page, int? pageSize,
        DeadLetterOperations deadLetters, ModuleTopology topology, ModularOptions settings, ModuleInboxes inboxes, CancellationToken cancellation)
    {
        var (criteria, errors) = DeadLetterCriteria.Resolve(module, messageType, exceptionType, null, topology, settings, inboxes);
        // The platform's paging limits: a page deep enough to overflow the offset is refused, not sent to PostgreSQL.
        if (page is < 1 or > PagingRules.MaxPage)
        {
            errors["page"] = [$"'page' must be from 1 to {PagingRules.MaxPage}."];
        }

        if (pageSize is < 1 or > PagingRules.MaxPageSize)
        {
            errors["pageSize"] = [$"'pageSize' must be from 1 to {PagingRules.MaxPageSize}."];
        }

        return criteria is null || errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await deadLetters.ListAsync(criteria, page ?? 1, pageSize ?? 20, cancellation));
    }

    private static async Task<Results<Ok<DeadLetterView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        Guid id, string? module, DeadLetterOperations deadLetters, ModuleTopology topology, ModularOptions settings, ModuleInboxes inboxes,
        CancellationToken cancellation)
    {
        var (criteria, errors) = DeadLetterCriteria.Resolve(module, null, null, [id], topology, settings, inboxes);
        if (criteria is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var found = await deadLetters.FindAsync(id, criteria, cancellation);
        return found.Count switch
        {
            0 => NotFound(id, deadLetters),
            1 => TypedResults.Ok(found[0]),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Several modules gave up on this message.",
                detail: $"Dead letter {id} is in the inboxes of {string.Join(", ", found.Select(d => d.Module ?? d.ReceivedAt))}: name one with ?module=."),
        };
    }

    private static async Task<Results<Accepted<ReplayedDeadLetters>, ValidationProblem, ProblemHttpResult>> ReplayOneAsync(
        Guid id, string? module, DeadLetterOperations deadLetters, ModuleTopology topology, ModularOptions settings, ModuleInboxes inboxes,
        CancellationToken cancellation)
    {
        var (criteria, errors) = DeadLetterCriteria.Resolve(module, null, null, [id], topology, settings, inboxes);
        if (criteria is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var replayed = await deadLetters.ReplayAsync(criteria, cancellation);
        return replayed == 0 ? NotFound(id, deadLetters) : TypedResults.Accepted((string?)null, new ReplayedDeadLetters(replayed));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DiscardOneAsync(
        Guid id, string? module, DeadLetterOperations deadLetters, ModuleTopology topology, ModularOptions settings, ModuleInboxes inboxes,
        CancellationToken cancellation)
    {
        var (criteria, errors) = DeadLetterCriteria.Resolve(module, null, null, [id], topology, settings, inboxes);
        if (criteria is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await deadLetters.DiscardAsync(criteria, cancellation) == 0 ? NotFound(id, deadLetters) : TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<ReplayedDeadLetters>, ValidationProblem>> ReplayManyAsync(
        string? module, string? messageType, string? exceptionType, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DeadLetterIds? body,
        DeadLetterOperations deadLetters, ModuleTopology topology, ModularOptions settings, ModuleInboxes inboxes, CancellationToken cancellation)
    {
        var criteria = ResolveBulk(module, messageType, exceptionType, body, topology, settings, inboxes, out var invalid);
        return criteria is null
            ? invalid!
            : TypedResults.Accepted((string?)null, new ReplayedDeadLetters(await deadLetters.ReplayAsync(criteria, cancellation)));
    }

    private static async Task<Results<Ok<DiscardedDeadLetters>, ValidationProblem>> DiscardManyAsync(
        string? module, string? messageType, string? exceptionType, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DeadLetterIds? body,
        DeadLetterOperations deadLetters, ModuleTopology topology, ModularOptions settings, ModuleInboxes inboxes, CancellationToken cancellation)
    {
        var criteria = ResolveBulk(module, messageType, exceptionType, body, topology, settings, inboxes, out var invalid);
        return criteria is null
            ? invalid!
            : TypedResults.Ok(new DiscardedDeadLetters(await deadLetters.DiscardAsync(criteria, cancellation)));
    }

    /// <summary>A bulk operation must say what it applies to: an empty request replaying or deleting everything is more likely a mistake.</summary>
    private static DeadLetterCriteria? ResolveBulk(
        string? module, string? messageType, string? exceptionType, DeadLetterIds? body, ModuleTopology topology, ModularOptions settings,
        ModuleInboxes inboxes, out ValidationProblem? invalid)
    {
        var (criteria, errors) = DeadLetterCriteria.Resolve(module, messageType, exceptionType, body?.Ids, topology, settings, inboxes);
        if (criteria is { IsEmpty: true })
        {
            errors["filter"] = ["Name the dead letters: ids in the body ({\"ids\": [...]}), or module, messageType or exceptionType in the query."];
        }

        invalid = errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
        return invalid is null ? criteria : null;
    }

    private static ProblemHttpResult NotFound(Guid id, DeadLetterOperations deadLetters) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such dead letter.",
            detail: $"No dead letter {id} in this process's envelope schema '{deadLetters.EnvelopeSchema}'.");
}
