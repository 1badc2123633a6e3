using Microsoft.Extensions.DependencyInjection;
using Modular.Host;
using Modular.Testing;
using Wolverine.Runtime;

namespace Modular.ArchitectureTests.Documentation;

/// <summary>docs/modules.md is what the code says: a handler, route, message or module added without it fails here.</summary>
public sealed class ModuleDocumentationTests
{
    private const string AcceptVariable = "MODULAR_ACCEPT_DOCS";

    [Fact]
    public async Task The_committed_module_documentation_is_what_the_code_generates()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("module_docs"), ModuleCatalog.All);
        var runtime = (WolverineRuntime)host.Host.Services.GetRequiredService<IWolverineRuntime>();
        var generated = ModuleDocumentation.Write(ModuleCatalog.All, runtime.Handlers.Chains);
        var path = Path.Combine(ReleaseHost.RepositoryRoot(), "docs", "modules.md");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            await File.WriteAllTextAsync(path, generated);
        }

        Assert.True(File.Exists(path) && (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") == generated,
            $"docs/modules.md is stale: rerun this test with {AcceptVariable}=1 and commit the file.");
    }

    [Fact]
    public async Task The_documentation_shows_the_order_workflow_between_the_modules()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(ReleaseHost.RepositoryRoot(), "docs", "modules.md"));

        Assert.Contains("Ordering -- ReserveStock --> Inventory", text, StringComparison.Ordinal);
        Assert.Contains("Inventory -- StockReserved --> Ordering", text, StringComparison.Ordinal);
        Assert.Contains("Ordering -- AuthorizePayment --> Payments", text, StringComparison.Ordinal);
        Assert.Contains("- Schema: `inventory`", text, StringComparison.Ordinal);
    }
}
