namespace Modular.BuildingBlocks.Security;

/// <summary>The roles a token can carry (claim <see cref="AuthenticationSettings.RoleClaim"/>). Each includes the one above it.</summary>
public static class Roles
{
    /// <summary>Places orders; reads, lists and cancels their own.</summary>
    public const string Customer = "customer";

    /// <summary>Runs the shop: catalog writes, stock receipts, every order and payment.</summary>
    public const string Staff = "staff";

    /// <summary>Runs the platform: the modules view and dead letters, and everything staff can do.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Customer, Staff, Admin];
}

/// <summary>
/// The authorization policies an endpoint declares next to itself (<c>[Authorize(Policies.Staff)]</c>). A route that
/// declares none still needs a valid token: the fallback policy asks for an authenticated caller.
/// </summary>
public static class Policies
{
    /// <summary>Any shopper: a customer, and staff or admin acting for themselves.</summary>
    public const string Customer = "customer";

    public const string Staff = "staff";

    public const string Admin = "admin";
}
