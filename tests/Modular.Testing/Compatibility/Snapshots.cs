using Xunit;

namespace Modular.Testing.Compatibility;

/// <summary>
/// The compatibility snapshots of docs/contracts: the shape committed, compared with the shape built. A change that
/// only adds is written to the file at once, so the working tree shows it as a diff to commit with the change; a break
/// is reported and the file left alone, unless <see cref="AcceptVariable"/> is 1, the deliberate acceptance of a break.
/// See docs/adr/0034.
/// </summary>
public static class Snapshots
{
    public const string AcceptVariable = "MODULAR_ACCEPT_CONTRACTS";

    /// <summary>Fails, naming every break and what to do instead, when <paramref name="current"/> breaks the snapshot.</summary>
    /// <param name="broken">Who would not understand the change, e.g. "consumers in other processes".</param>
    /// <param name="instead">The compatible way to make such a change.</param>
    public static void AssertCompatible(
        string path, string header, Shape current, Func<Shape, Shape, IReadOnlyList<string>> breakingChanges, string broken, string instead)
    {
        var breaking = Compare(path, header, current, breakingChanges);
        Assert.True(breaking.Count == 0,
            $"{broken}:\n  {string.Join("\n  ", breaking)}\n{instead}; to accept a deliberate break, rerun with {AcceptVariable}=1.");
    }

    /// <returns>The breaking changes of <paramref name="current"/> against the snapshot at <paramref name="path"/>.</returns>
    public static IReadOnlyList<string> Compare(string path, string header, Shape current, Func<Shape, Shape, IReadOnlyList<string>> breakingChanges)
    {
        var accepting = Environment.GetEnvironmentVariable(AcceptVariable) == "1";
        var text = header + current.ToText();
        if (!File.Exists(path))
        {
            // A new module's (or process's) first snapshot: everything in it is an addition.
            File.WriteAllText(path, text);
            return [];
        }

        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        var breaking = breakingChanges(current, Shape.Parse(committed));
        if ((accepting || breaking.Count == 0) && committed != text)
        {
            File.WriteAllText(path, text);
        }

        return accepting ? [] : breaking;
    }
}
