using System.Security.Claims;

namespace Modular.BuildingBlocks.Security;

/// <summary>What endpoints ask of their caller (and the platform: only admins see internals).</summary>
public static class CallerRights
{
    /// <summary>The caller's subject: the customer an order placed with this token belongs to.</summary>
    public static string Subject(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? throw new InvalidOperationException("The caller has no subject: the route must require authentication.");

    /// <summary>Staff and admin see every customer's data.</summary>
    public static bool IsStaff(this ClaimsPrincipal user) => user.IsInRole(Roles.Staff) || user.IsInRole(Roles.Admin);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>
    /// Whether the caller may see something that belongs to <paramref name="customerId"/>: their own, or anything for
    /// staff. Endpoints answer 404 otherwise, as for something that does not exist, so ids of others leak nothing.
    /// </summary>
    public static bool MaySee(this ClaimsPrincipal user, string? customerId) =>
        user.IsStaff() || (customerId is not null && string.Equals(customerId, user.Identity?.Name, StringComparison.Ordinal));
}
