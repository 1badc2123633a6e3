using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Security;

namespace Modular.BuildingBlocks.Http;

/// <summary>At most <see cref="PermitLimit"/> requests per caller in each <see cref="Window"/>.</summary>
public class RateLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>A stricter limit for some routes, named as <c>"POST /api/orders"</c>: a request to one counts only against it.</summary>
public sealed class RouteRateLimit : RateLimit
{
    public string[] Routes { get; set; } = [];
}

/// <summary>The <c>Modular:RateLimits</c> section. See docs/adr/0021.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Off only where something in front of this process limits callers already.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What any caller may send to any route but the health endpoints and those of <see cref="Policies"/>.</summary>
    public RateLimit PerCaller { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Stricter limits by name (<c>Modular:RateLimits:Policies:OrderPlacement</c>), each for the routes it lists.</summary>
    public Dictionary<string, RouteRateLimit> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Limits how many requests each caller (the token's subject, else the client's address) may make per window, with ASP.NET Core's rate
/// limiter: one global limiter whose partition is the caller and the policy the route falls under, so a module's
/// endpoints carry nothing for it. Over the limit a request is answered 429 problem details with <c>Retry-After</c>
/// before anything else reads it. The health endpoints are never limited: an orchestrator must always see them.
/// See docs/adr/0021.
/// </summary>
public static class RateLimits
{
    private const string General = "per-caller";

    public static IServiceCollection AddRateLimits(this IServiceCollection services, RateLimitSettings settings)
    {
        if (!settings.Enabled)
        {
            return services;
        }

        var policies = new RoutePolicies(settings);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (string Policy, string Caller)>(context =>
            {
                if (context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter((string.Empty, string.Empty));
                }

                var (name, limit) = policies.For(context);
                return RateLimitPartition.GetFixedWindowLimiter((name, CallerKey(context)), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.PermitLimit,
                    Window = limit.Window,
                    // Over the limit is refused at once: a queued request would still hold a connection and a thread.
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (rejected, _) => RefuseAsync(rejected, policies);
        });
        return services;
    }

    /// <summary>Goes after routing (a policy is chosen by the matched route) and authentication (the caller's subject), before any endpoint.</summary>
    public static WebApplication UseRateLimits(this WebApplication app, RateLimitSettings settings)
    {
        if (settings.Enabled)
        {
            app.UseRateLimiter();
        }

        return app;
    }

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, RoutePolicies policies)
    {
        var context = rejected.HttpContext;
        var (_, limit) = policies.For(context);
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limit.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        // No log line of its own: a flood would write one per request. The request log shows each 429, and the
        // framework's metric aspnetcore.rate_limiting.requests counts them.
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = ClientErrors.Problem(StatusCodes.Status429TooManyRequests, "Too many requests.",
                $"This caller may send {limit.PermitLimit} such requests per {limit.Window}; retry in {seconds} s."),
        });
    }

    /// <summary>Which limit a request falls under: the policy naming its route and method, or the per-caller one.</summary>
    private sealed class RoutePolicies
    {
        private readonly (string Name, RateLimit Limit) _general;
        private readonly FrozenDictionary<string, (string Method, string Name, RateLimit Limit)[]> _byTemplate;

        public RoutePolicies(RateLimitSettings settings)
        {
            _general = (General, Checked(General, settings.PerCaller));
            _byTemplate = settings.Policies
                .SelectMany(policy => policy.Value.Routes.Select(route => (Route: Parse(policy.Key, route), policy.Key, Limit: Checked(policy.Key, policy.Value))))
                .GroupBy(p => p.Route.Template, StringComparer.OrdinalIgnoreCase)
                .ToFrozenDictionary(g => g.Key, g => g.Select(p => (p.Route.Method, p.Key, (RateLimit)p.Limit)).ToArray(), StringComparer.OrdinalIgnoreCase);
        }

        public (string Name, RateLimit Limit) For(HttpContext context)
        {
            if (_byTemplate.Count > 0 && context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template }
                && _byTemplate.TryGetValue(Normalized(template), out var candidates))
            {
                foreach (var (method, name, limit) in candidates)
                {
                    if (HttpMethods.Equals(method, context.Request.Method))
                    {
                        return (name, limit);
                    }
                }
            }

            return _general;
        }

        private static (string Method, string Template) Parse(string policy, string route) =>
            route.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [var method, var template]
                ? (method.ToUpperInvariant(), Normalized(template))
                : throw new InvalidOperationException(
                    $"Rate limit policy '{policy}' names the route '{route}'; a route is a method and a template, as in 'POST /api/orders'.");

        private static string Normalized(string template) => "/" + template.Trim('/');

        private static RateLimit Checked(string policy, RateLimit limit) =>
            limit.PermitLimit > 0 && limit.Window > TimeSpan.Zero
                ? limit
                : throw new InvalidOperationException(
                    $"Rate limit '{policy}' allows {limit.PermitLimit} requests per {limit.Window}; both must be positive (set Modular:RateLimits:Enabled to false for none).");
    }

    /// <summary>
    /// The caller whose requests count against one limit: the token's subject when the request carries one, otherwise
    /// the client's address (the proxy's view of it when a trusted proxy names it, see <see cref="ForwardedHeadersSettings"/>).
    /// </summary>
    private static string CallerKey(HttpContext context) =>
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
