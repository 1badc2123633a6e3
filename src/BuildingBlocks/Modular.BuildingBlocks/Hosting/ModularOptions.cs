using Modular.BuildingBlocks.Http;
using Modular.BuildingBlocks.Security;
using Wolverine;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>What carries messages to modules that another process hosts. See docs/adr/0012.</summary>
public enum ModuleTransport
{
    /// <summary>Nothing: every module that receives messages must be hosted in this process.</summary>
    None,

    /// <summary>Queues in PostgreSQL tables (schema <c>wolverine_queues</c>): no broker beyond the database.</summary>
    PostgreSQL,

    /// <summary>Queues on a RabbitMQ broker (<c>ConnectionStrings:RabbitMq</c>).</summary>
    RabbitMQ,
}

/// <summary>The <c>Modular</c> configuration section.</summary>
public sealed class ModularOptions
{
    public const string SectionName = "Modular";

    /// <summary>Names of the modules this process hosts; empty means every module in the catalog.</summary>
    public string[] Modules { get; set; } = [];

    /// <summary>
    /// Used only when this process hosts some modules but not all: what carries messages to and from the others.
    /// </summary>
    public ModuleTransport Transport { get; set; } = ModuleTransport.PostgreSQL;

    /// <summary>
    /// The schema of this process's envelope tables (inbox, outbox, dead letters). Empty means <c>wolverine</c> for a
    /// process hosting every module, and <c>wolverine_</c> plus the hosted modules' names for a process hosting some,
    /// so each deployment shape has its own. Replicas of one shape share it (set <see cref="Durability"/> to Balanced).
    /// </summary>
    public string? EnvelopeSchema { get; set; }

    /// <summary>
    /// Base URLs of the processes hosting modules this one does not (<c>Modular:RemoteUrls:Inventory</c>). This process
    /// then forwards those modules' HTTP routes there and reports their health: it is the gateway.
    /// </summary>
    public Dictionary<string, Uri> RemoteUrls { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Solo: the only process on its envelope schema (a second one is refused at start-up); it recovers its own messages
    /// when it restarts. Balanced: one of several replicas of a deployment shape sharing the schema; a replica that dies
    /// has its messages taken over by the others after <see cref="ReplicaTimeout"/>. See docs/adr/0003 and 0026.
    /// </summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Solo;

    /// <summary>
    /// Balanced only: how long a replica that stopped reporting (every second) still counts as alive. Its messages are
    /// taken over a few seconds after this. Shorter recovers sooner; too short, and a replica starved of CPU for that long
    /// is taken for dead and its messages handled a second time (every handler is idempotent, but it is work).
    /// </summary>
    public TimeSpan ReplicaTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// How long an inbox message may wait, owned by this process but held nowhere in it, before any process may take
    /// it. Wolverine can leave such orphans behind a paused inbox (docs/adr/0013); the messages a process does hold
    /// have their clock restarted three times in this period, so a slow database that misses those writes for about
    /// a third of it could have a held message taken twice. Shorter settles orphans sooner.
    /// </summary>
    public TimeSpan InboxStaleTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest request body this process reads, in bytes; a larger one is refused with 413 before it is read whole.
    /// The largest body of this API (an order of 50 lines) is a few kilobytes.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The most request headers Kestrel reads; more answer 431. Its default, 100, is more than any client of this API sends.</summary>
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>
    /// The largest header block Kestrel reads, in bytes; a larger one answers 431. A bearer token is one to two
    /// kilobytes; Kestrel's default is 32 KB.
    /// </summary>
    public int MaxRequestHeadersBytes { get; set; } = 16 * 1024;

    /// <summary>The longest request line (method, path and query) Kestrel reads, in bytes; a longer one answers 414.</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Per-caller request limits (<c>Modular:RateLimits</c>). See docs/adr/0021.</summary>
    public RateLimitSettings RateLimits { get; set; } = new();

    /// <summary>Which proxies in front of this process may name the client and scheme (<c>Modular:ForwardedHeaders</c>).</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>The OpenAPI document and the API reference page (<c>Modular:ApiReference</c>).</summary>
    public ApiReferenceSettings ApiReference { get; set; } = new();

    /// <summary>
    /// A folder of files, one per configuration key (<c>ConnectionStrings__Modular</c> holds that connection string), as
    /// Docker and Kubernetes mount secrets (<c>/run/secrets</c>); they override every other source. Empty: none.
    /// </summary>
    public string? SecretsPath { get; set; }

    /// <summary><c>text</c> for people, <c>json</c> (compact CLEF) for log pipelines.</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>When <c>/health/ready</c> reports a hosted module Degraded (<c>Modular:Health</c>).</summary>
    public HealthLimits Health { get; set; } = new();

    /// <summary>Who issues the tokens this process accepts (<c>Modular:Authentication</c>).</summary>
    public AuthenticationSettings Authentication { get; set; } = new();
}

/// <summary>The <c>Modular:Health</c> section: past these, readiness reports the module Degraded (still HTTP 200).</summary>
public sealed class HealthLimits
{
    /// <summary>Dead letters a module may have; the default 0 degrades it as soon as it gives up on one message.</summary>
    public int MaxDeadLetters { get; set; }

    /// <summary>How long a message may wait unhandled in a module's inbox.</summary>
    public TimeSpan MaxInboxAge { get; set; } = TimeSpan.FromMinutes(1);
}
