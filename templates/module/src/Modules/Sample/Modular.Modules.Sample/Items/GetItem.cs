using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Modular.BuildingBlocks.Security;
using Wolverine.Http;

namespace Modular.Modules.Sample.Items;

public static class GetItemEndpoint
{
    [WolverineGet("/sample/items/{id}")]
    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Get an item")]
    [Tags("Sample")]
    public static async Task<Results<Ok<ItemView>, ProblemHttpResult>> Get(Guid id, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Item>(id, cancellation) is { } item
            ? TypedResults.Ok(ItemView.From(item))
            : TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "No such item.",
                Detail = $"There is no item {id}.",
            });
}
