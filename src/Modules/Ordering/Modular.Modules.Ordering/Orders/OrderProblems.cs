using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Modular.Modules.Ordering.Orders;

internal static class OrderProblems
{
    public static ProblemDetails NotFound(Guid orderId) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "No such order.",
        Detail = $"There is no order {orderId}.",
    };
}
