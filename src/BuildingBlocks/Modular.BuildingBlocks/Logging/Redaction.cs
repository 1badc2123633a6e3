using System.Buffers;
using System.Text.RegularExpressions;

namespace Modular.BuildingBlocks.Logging;

/// <summary>
/// Masks secrets in text this process writes for people (log lines, the <c>describe</c> command): connection-string
/// passwords (<c>Password=…</c>), passwords in URIs (<c>amqp://user:…@host</c>), bearer tokens and JSON Web Tokens,
/// <c>Authorization</c> header values, and the whole value of any setting whose name says it is a secret.
/// The one place these rules live. See docs/adr/0022.
/// </summary>
public static partial class Redaction
{
    public const string Mask = "***";

    // Cheap first look: most text names none of these, and then no expression runs.
    private static readonly SearchValues<string> Clues = SearchValues.Create(
        ["password", "pwd", "://", "bearer", "eyj", "authorization"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> SecretNames = SearchValues.Create(
        ["password", "pwd", "secret", "token", "apikey", "api_key", "credential", "privatekey"], StringComparison.OrdinalIgnoreCase);

    /// <summary>The text with every secret it carries replaced by <see cref="Mask"/>.</summary>
    public static string Redact(string text)
    {
        if (!text.AsSpan().ContainsAny(Clues))
        {
            return text;
        }

        text = ConnectionStringPassword().Replace(text, "${key}" + Mask);
        text = JsonPassword().Replace(text, "${key}\"" + Mask + "\"");
        text = UriPassword().Replace(text, "${user}:" + Mask + "@");
        text = AuthorizationValue().Replace(text, "${key}" + Mask);
        text = BearerToken().Replace(text, "${scheme} " + Mask);
        return JsonWebToken().Replace(text, Mask);
    }

    /// <summary>Whether a setting or log property called <paramref name="name"/> holds a secret as a whole (<c>ApiKey</c>, <c>ClientSecret</c>).</summary>
    public static bool NamesASecret(string name) => name.AsSpan().ContainsAny(SecretNames);

    /// <summary>The value of the setting or property <paramref name="name"/> as it may be shown.</summary>
    public static string Redact(string name, string value) => NamesASecret(name) && value.Length > 0 ? Mask : Redact(value);

    // Npgsql and ADO.NET style: Password=secret; Pwd = 'se;cret'
    [GeneratedRegex("""(?<key>\b(?:password|pwd)\s*=\s*)(?:"(?:[^"]|"")*"|'(?:[^']|'')*'|[^;\r\n]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?<key>""(?:password|pwd)""\s*:\s*)""(?:[^""\\]|\\.)*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JsonPassword();

    // scheme://user:secret@host
    [GeneratedRegex("""(?<user>\b[a-z][a-z0-9+.\-]*://[^\s:/@]*):[^\s@/]+@""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriPassword();

    // Authorization: Basic dXNlcjpwYXNz, "Authorization":"Bearer …", Authorization=…
    [GeneratedRegex("""(?<key>\bauthorization["']?\s*[:=]\s*["']?)[^"'\r\n,;}\]]+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationValue();

    [GeneratedRegex("""(?<scheme>\bbearer)\s+[A-Za-z0-9\-._~+/]+=*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    // A JWT without its scheme: header.payload.signature, the header starting {" in base64url.
    [GeneratedRegex("""\beyJ[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*""", RegexOptions.CultureInvariant)]
    private static partial Regex JsonWebToken();
}
