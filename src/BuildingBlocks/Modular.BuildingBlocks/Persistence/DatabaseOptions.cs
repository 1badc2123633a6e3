namespace Modular.BuildingBlocks.Persistence;

/// <summary>
/// The <c>Modular:Database</c> section: the passwords of the PostgreSQL roles the service logs in as, one per module and
/// one for messaging. With none, every part of the process logs in with <c>ConnectionStrings:Modular</c>. See docs/adr/0020.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Modular:Database";

    /// <summary>The key of the password of the role Wolverine's own message store logs in as.</summary>
    public const string MessagingRole = "Messaging";

    /// <summary>
    /// The roles' names start with it and an underscore (<c>modular_ordering</c>). Empty means the database's name, so that
    /// two databases of one server (staging and production, test runs) never share a role: roles belong to the server.
    /// </summary>
    public string? RolePrefix { get; set; }

    /// <summary>
    /// <c>Modular:Database:Passwords:Ordering</c>, <c>…:Passwords:Messaging</c> (environment variable
    /// <c>Modular__Database__Passwords__Ordering</c>): a password for each module this process hosts and for messaging.
    /// </summary>
    public Dictionary<string, string> Passwords { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
