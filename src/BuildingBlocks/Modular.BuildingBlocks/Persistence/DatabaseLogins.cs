using System.Text;
using System.Text.RegularExpressions;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Messaging;
using Modular.BuildingBlocks.Modules;
using Npgsql;

namespace Modular.BuildingBlocks.Persistence;

/// <summary>Whom a process logs in to PostgreSQL as, decided by what it was started to do.</summary>
public enum DatabaseLogin
{
    /// <summary>The service: each module as its own role and Wolverine as the messaging role, when roles are configured.</summary>
    ModuleRoles,

    /// <summary>An operator's command (<c>resources setup</c>, <c>db-apply</c>…): the owner of the schemas, <c>ConnectionStrings:Modular</c>.</summary>
    Owner,
}

/// <summary>A login role of the service: the schemas whose tables it reads and writes, and nothing else.</summary>
/// <param name="Key">The module's name, or <see cref="DatabaseOptions.MessagingRole"/>.</param>
public sealed record DatabaseRole(string Key, string Name, string Password, IReadOnlyList<string> Schemas);

/// <summary>
/// The connection string of each part of a process. Without configured roles, all of them are <c>ConnectionStrings:Modular</c>.
/// With them, the service logs each module's store in as that module's role and Wolverine's message store as the messaging
/// role, on the same server and database; operator commands keep the owner, who builds the schemas and the roles. See docs/adr/0020.
/// </summary>
public sealed partial class DatabaseLogins
{
    private const int MaxIdentifierBytes = 63;

    private readonly DatabaseLogin _login;
    private readonly IReadOnlyDictionary<string, string> _ownDatabases;

    private DatabaseLogins(string owner, IReadOnlyList<DatabaseRole> roles, DatabaseLogin login, IReadOnlyDictionary<string, string> ownDatabases)
    {
        Owner = owner;
        Roles = roles;
        _login = login;
        _ownDatabases = ownDatabases;
    }

    /// <summary><c>ConnectionStrings:Modular</c>: the owner of the schemas, who runs <c>resources setup</c>.</summary>
    public string Owner { get; }

    /// <summary>The roles of this process's modules and of its messaging; empty when none is configured.</summary>
    public IReadOnlyList<DatabaseRole> Roles { get; }

    /// <summary>True when this process logs in as its roles: it then has no right to change a schema, so it never tries.</summary>
    public bool UsesRoles => _login == DatabaseLogin.ModuleRoles && Roles.Count > 0;

    /// <summary>Wolverine's message store (its durability agent, the dead-letter API), the readiness check and the start-up gate.</summary>
    public string Messaging => ConnectionStringOf(DatabaseOptions.MessagingRole);

    /// <summary>
    /// The module's own database (<c>ConnectionStrings:&lt;Module&gt;</c>, its login as given there) when it has one apart
    /// from this process's; otherwise its role's login, or the owner's, on this process's database.
    /// </summary>
    public string ForModule(IModule module) => _ownDatabases.GetValueOrDefault(module.Name) ?? ConnectionStringOf(module.Name);

    /// <summary>The modules whose data is in a database apart from this process's, and that database.</summary>
    public IReadOnlyDictionary<string, string> OwnDatabases => _ownDatabases;

    /// <summary>
    /// JasperFx runs the service when the first argument is <c>run</c>, a flag (<c>--urls</c>) or absent; any other first
    /// argument names a command, and commands are the operator's tools, run as the owner.
    /// </summary>
    public static DatabaseLogin LoginFor(IReadOnlyList<string> args) =>
        args.Count == 0 || args[0].StartsWith('-') || string.Equals(args[0], "run", StringComparison.OrdinalIgnoreCase)
            ? DatabaseLogin.ModuleRoles
            : DatabaseLogin.Owner;

    /// <param name="ownDatabases">
    /// The modules whose data is in a database apart from <paramref name="ownerConnectionString"/>: they log in as their
    /// connection string says, and get no role here.
    /// </param>
    public static DatabaseLogins Create(
        string ownerConnectionString, DatabaseOptions options, ModuleTopology topology, string envelopeSchema, ModuleTransport transport, DatabaseLogin login,
        IReadOnlyDictionary<string, string>? ownDatabases = null)
    {
        ownDatabases ??= new Dictionary<string, string>();
        var passwords = options.Passwords.Where(p => !string.IsNullOrEmpty(p.Value)).ToDictionary(StringComparer.OrdinalIgnoreCase);
        if (passwords.Count == 0)
        {
            return new DatabaseLogins(ownerConnectionString, [], login, ownDatabases);
        }

        // A half-configured set would leave one module on the owner's login unnoticed: all or none.
        var hosted = topology.Hosted.Where(m => !ownDatabases.ContainsKey(m.Name)).ToList();
        var keys = hosted.Select(m => m.Name).Append(DatabaseOptions.MessagingRole).ToList();
        var missing = keys.Where(k => !passwords.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"'{DatabaseOptions.SectionName}:Passwords' sets passwords for some database roles but not for: {string.Join(", ", missing)}. " +
                "Set one for each module this process hosts and for Messaging (environment variables " +
                $"{string.Join(", ", missing.Select(k => $"Modular__Database__Passwords__{k}"))}), or none at all to log in as " +
                "'ConnectionStrings:Modular' throughout.");
        }

        var prefix = RolePrefix(ownerConnectionString, options);
        // A module's store writes its outbox and inbox rows in the envelope schema, in the same transaction as its documents.
        // The PostgreSQL transport's senders and listeners use the transport's own connection, Wolverine's message store's:
        // only the messaging role touches the queue tables.
        string[] messaging = transport == ModuleTransport.PostgreSQL ? [envelopeSchema, MessagingDefaults.QueueSchema] : [envelopeSchema];
        var roles = hosted
            .Select(m => new DatabaseRole(m.Name, RoleName(prefix, m.Name), passwords[m.Name], [m.Schema, envelopeSchema]))
            .Append(new DatabaseRole(DatabaseOptions.MessagingRole, RoleName(prefix, DatabaseOptions.MessagingRole), passwords[DatabaseOptions.MessagingRole], messaging))
            .ToList();
        var clash = roles.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        return clash is null
            ? new DatabaseLogins(ownerConnectionString, roles, login, ownDatabases)
            : throw new InvalidOperationException($"Two database roles would be named '{clash.Key}': {string.Join(" and ", clash.Select(r => r.Key))}.");
    }

    /// <summary>The owner's server, database and settings, with the role's name and password.</summary>
    public string ConnectionStringOf(DatabaseRole role) =>
        new NpgsqlConnectionStringBuilder(Owner) { Username = role.Name, Password = role.Password }.ConnectionString;

    private string ConnectionStringOf(string key) =>
        UsesRoles ? ConnectionStringOf(Roles.Single(r => string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase))) : Owner;

    private static string RolePrefix(string ownerConnectionString, DatabaseOptions options)
    {
        var prefix = (string.IsNullOrWhiteSpace(options.RolePrefix) ? new NpgsqlConnectionStringBuilder(ownerConnectionString).Database : options.RolePrefix)
            ?.ToLowerInvariant();
        return prefix is not null && PlainIdentifier().IsMatch(prefix)
            ? prefix
            : throw new InvalidOperationException(
                $"The database roles' prefix '{prefix}' (the database's name unless '{DatabaseOptions.SectionName}:RolePrefix' is set) must be " +
                "letters, digits and underscores, starting with a letter or underscore: set 'Modular:Database:RolePrefix'.");
    }

    private static string RoleName(string prefix, string key)
    {
        var name = prefix + "_" + key.ToLowerInvariant();
        return Encoding.UTF8.GetByteCount(name) <= MaxIdentifierBytes
            ? name
            : throw new InvalidOperationException(
                $"The database role '{name}' is longer than PostgreSQL's {MaxIdentifierBytes} bytes: set a shorter '{DatabaseOptions.SectionName}:RolePrefix'.");
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}
