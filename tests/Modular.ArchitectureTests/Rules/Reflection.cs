using System.Reflection;
using System.Runtime.CompilerServices;

namespace Modular.ArchitectureTests.Rules;

internal static class Reflection
{
    public static string Name(this Assembly assembly) => assembly.GetName().Name!;

    public static IReadOnlySet<string> ReferencedNames(this Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).ToHashSet(StringComparer.Ordinal);

    /// <summary>Types the source declares; not the attributes and closures the compiler adds.</summary>
    public static IEnumerable<Type> DeclaredTypes(this Assembly assembly) =>
        assembly.GetTypes().Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false));

    public static bool IsStaticClass(this Type type) => type is { IsClass: true, IsAbstract: true, IsSealed: true };
}
