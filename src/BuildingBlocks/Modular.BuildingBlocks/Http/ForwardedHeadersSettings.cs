using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

namespace Modular.BuildingBlocks.Http;

/// <summary>
/// The <c>Modular:ForwardedHeaders</c> section: the proxies (a TLS-terminating load balancer, an ingress, the gateway
/// in front of an extracted module) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> this process believes.
/// A request from any other peer keeps its own address and scheme, so a client cannot choose the address it is rate
/// limited by. See docs/adr/0021.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of trusted proxies (<c>10.0.0.5</c>). None here and in <see cref="KnownNetworks"/>: loopback only, the framework's default.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation (<c>10.0.0.0/8</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row may each add an entry; the nearest one first.</summary>
    public int ForwardLimit { get; set; } = 1;
}

public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, ForwardedHeadersSettings settings) =>
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Not X-Forwarded-Host: a host name taken from a client header would let it choose the links built from it.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = settings.ForwardLimit;
            if (settings.KnownProxies.Length == 0 && settings.KnownNetworks.Length == 0)
            {
                return;
            }

            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                    : throw new InvalidOperationException($"Modular:ForwardedHeaders:KnownProxies holds '{proxy}', which is not an IP address."));
            }

            foreach (var network in settings.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                    : throw new InvalidOperationException($"Modular:ForwardedHeaders:KnownNetworks holds '{network}', which is not a network in CIDR notation (10.0.0.0/8)."));
            }
        });
}
