using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Sample.Contracts;
using Wolverine.Http;
using Wolverine.Marten;

namespace Modular.Modules.Sample.Items;

/// <summary>The request: validated by the platform before the endpoint runs; a failure answers 400 naming each field.</summary>
public sealed record AddItem(string Name)
{
    public sealed class Validator : AbstractValidator<AddItem>
    {
        public Validator() => RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
    }
}

/// <summary>
/// One use case, one file: a pure function from the request to the response and its effects. Wolverine stores the
/// document and publishes the event in one transaction (the outbox).
/// </summary>
public static class AddItemEndpoint
{
    [WolverinePost("/sample/items")]
    [Authorize(Policy = Policies.Staff)]
    [EndpointSummary("Add an item")]
    [Tags("Sample")]
    public static (Created<ItemView>, ItemAdded, IMartenOp) Post(AddItem command, TimeProvider clock)
    {
        var (item, added) = Item.Add(Guid.NewGuid(), command.Name, clock.GetUtcNow());
        return (TypedResults.Created(ItemView.UrlFor(item.Id), ItemView.From(item)), added, MartenOps.Insert(item));
    }
}
