using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Modules;
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

    /// <summary>
    /// The console's diagram and <c>GET /api/modules</c> read the flows from assembly references (<see cref="MessageFlow.Between"/>);
    /// the documentation reads them from the IL that creates each message. Both must tell the same story.
    /// </summary>
    [Fact]
    public async Task The_flows_the_running_host_shows_are_the_messages_each_module_s_code_creates()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("module_flows"), ModuleCatalog.All);
        var runtime = (WolverineRuntime)host.Host.Services.GetRequiredService<IWolverineRuntime>();

        var fromCode = ModuleDocumentation.Flows(ModuleCatalog.All, runtime.Handlers.Chains).Where(f => f.From != f.To).Order().ToList();
        var shown = MessageFlow.Between(ModuleCatalog.All).Select(f => (f.From, f.To, f.Message)).Order().ToList();

        Assert.NotEmpty(shown);
        Assert.Equal(fromCode, shown);
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
