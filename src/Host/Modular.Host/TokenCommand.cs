using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Security;

namespace Modular.Host;

/// <summary>
/// <c>dotnet Modular.Host.dll token --subject alice --role customer [--role staff]</c>: prints a bearer token signed by
/// the local key (created on first use), and nothing else, so that <c>TOKEN=$(...)</c> works. It needs no database:
/// it runs before the host is composed. With an OpenID Connect provider configured, tokens come from the provider.
/// </summary>
public static class TokenCommand
{
    public static bool Matches(string[] args) => args is ["token", ..];

    public static int Run(WebApplicationBuilder builder, string[] args)
    {
        var settings = builder.Configuration.GetSection($"{ModularOptions.SectionName}:Authentication").Get<AuthenticationSettings>() ?? new AuthenticationSettings();
        if (settings.UsesProvider)
        {
            return Fail($"tokens come from the OpenID Connect provider at {settings.Authority} (Modular:Authentication:Authority); this command mints local tokens only.");
        }

        string? subject = null;
        var roles = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--subject" when !string.IsNullOrWhiteSpace(value):
                    subject = value;
                    i++;
                    break;
                case "--role" when value is not null && Roles.All.Contains(value):
                    roles.Add(value);
                    i++;
                    break;
                case "--role":
                    return Fail($"--role takes one of: {string.Join(", ", Roles.All)} (got '{value}').");
                default:
                    // Configuration switches (--Modular:Authentication:SigningKeyPath=...) were read by the builder already.
                    if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Contains(':', StringComparison.Ordinal))
                    {
                        break;
                    }

                    return Fail($"unexpected '{args[i]}'.");
            }
        }

        if (subject is null || roles.Count == 0)
        {
            return Fail("give --subject and at least one --role.");
        }

        var key = LocalSigningKey.LoadOrCreate(Path.Combine(builder.Environment.ContentRootPath, settings.SigningKeyPath));
        Console.Out.WriteLine(LocalTokens.Mint(key, settings, subject, roles, DateTimeOffset.UtcNow));
        return 0;
    }

    private static int Fail(string problem)
    {
        Console.Error.WriteLine($"token: {problem}{Environment.NewLine}Usage: token --subject <name> --role <{string.Join("|", Roles.All)}> [--role ...]");
        return 2;
    }
}
