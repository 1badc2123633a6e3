using System.Net;
using Microsoft.AspNetCore.Http;
using Modular.BuildingBlocks.Security;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// Who is calling, as the platform's own rules need to know it: whether the caller may see internals (an admin), and
/// which bucket its requests are counted in. The one place these questions are answered. See docs/adr/0021.
/// </summary>
public static class Callers
{
    /// <summary>Admins see internals: connection and exception details, other processes' addresses.</summary>
    public static bool IsAdmin(HttpContext context) => context.User.IsAdmin();

    /// <summary>
    /// The caller whose requests count against one limit: the token's subject when the request carries one, otherwise
    /// the client's address (the proxy's view of it when a trusted proxy names it, see <see cref="ForwardedHeadersSettings"/>).
    /// </summary>
    public static string Key(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } subject }
            ? "sub:" + subject
            : "ip:" + Network(context.Connection.RemoteIpAddress);

    /// <summary>
    /// An IPv6 client holds a whole /64 and may use any address in it: its requests count as the network's, or a new
    /// address per request would escape any limit. An IPv4 client is its address.
    /// </summary>
    private static string Network(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? new IPNetwork(new IPAddress([.. address.GetAddressBytes()[..8], 0, 0, 0, 0, 0, 0, 0, 0]), 64).ToString()
            : address.ToString();
    }
}
