namespace Modular.ArchitectureTests;

/// <summary>Assertions over what a rule reports, with every violation in the failure message.</summary>
public static class Violations
{
    public static void AssertNone(IReadOnlyCollection<string> violations) =>
        Assert.True(violations.Count == 0, Describe(violations.Count + " violation(s):", violations));

    /// <summary>Each fragment must appear in some violation: the rule caught what the bad subject does wrong.</summary>
    public static void AssertReported(IReadOnlyCollection<string> violations, params string[] fragments)
    {
        var missed = fragments.Where(f => !violations.Any(v => v.Contains(f, StringComparison.Ordinal))).ToList();
        Assert.True(missed.Count == 0,
            Describe("Not reported: " + string.Join(", ", missed) + ". Reported:", violations));
    }

    private static string Describe(string heading, IEnumerable<string> violations) =>
        string.Join(Environment.NewLine + "- ", violations.Prepend(heading));
}
