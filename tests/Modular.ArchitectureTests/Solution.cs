using System.Reflection;
using System.Xml.Linq;

namespace Modular.ArchitectureTests;

/// <summary>The source tree the tests run from: its root, its project files and what they reference.</summary>
public static class Solution
{
    public static string Root { get; } = FindRoot();

    public static IReadOnlyList<string> ProjectFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    /// <summary>The project that builds <paramref name="assembly"/>, by the convention that a project is named after its assembly.</summary>
    public static string ProjectFileOf(Assembly assembly)
    {
        var fileName = assembly.GetName().Name + ".csproj";
        var matches = ProjectFiles(".").Where(f => Path.GetFileName(f) == fileName).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {fileName} under {Root}, found {matches.Count}.");
    }

    public static bool IsHostProject(string projectFile) => RelativePath(projectFile).StartsWith("src/Host/", StringComparison.Ordinal);

    public static string RelativePath(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>The <c>Include</c> of every item of <paramref name="itemType"/> (PackageReference, ProjectReference...).</summary>
    public static IReadOnlyList<string> Items(string projectFile, string itemType) =>
        XDocument.Load(projectFile).Descendants()
            .Where(e => e.Name.LocalName == itemType)
            .Select(e => (string?)e.Attribute("Include") ?? "")
            .ToList();

    /// <summary>The project names (file names without extension) <paramref name="projectFile"/> references.</summary>
    public static IReadOnlyList<string> ReferencedProjects(string projectFile) =>
        // Paths are written with backslashes, which are no separators on Linux.
        Items(projectFile, "ProjectReference").Select(p => Path.GetFileNameWithoutExtension(p.Replace('\\', '/'))).ToList();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Modular.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Modular.sln above {AppContext.BaseDirectory}: the tests read the source tree they were built from.");
    }
}
