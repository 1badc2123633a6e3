using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Modular.Modules.Shipping.Shipments;

/// <summary>The problem details the shipment endpoints answer with.</summary>
internal static class ShipmentProblems
{
    public static ProblemDetails NotFound(Guid orderId) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "No such shipment.",
        Detail = $"There is no shipment for order {orderId}: the order does not exist or is not confirmed yet.",
    };

    /// <summary>404 without a shipment, 409 naming why when <paramref name="refusal"/> is set, else carry on.</summary>
    public static ProblemDetails Check(Shipment? shipment, Guid orderId, Func<Shipment, string?> refusal) => shipment switch
    {
        null => NotFound(orderId),
        _ when refusal(shipment) is { } why => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The shipment cannot do that now.",
            Detail = why,
        },
        _ => WolverineContinue.NoProblems,
    };
}
