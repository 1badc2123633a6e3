using System.Net;
using Modular.BuildingBlocks.Security;
using Modular.Host;
using Modular.Testing;

namespace Modular.Host.Tests.Security;

/// <summary><c>dotnet Modular.Host.dll token</c>: what scripts/run.sh and the README use to get a token locally.</summary>
public sealed class TokenCommandTests
{
    [Fact]
    public async Task The_token_command_prints_only_a_token_that_hosts_sharing_its_key_accept_and_needs_no_database()
    {
        var key = Path.Combine(Path.GetTempPath(), $"modular-token-{Guid.NewGuid():N}", "signing-key.pem");

        var (exitCode, output) = await HostProcess.RunCommandAsync(
            new Dictionary<string, string> { ["Modular__Authentication__SigningKeyPath"] = key, ["ConnectionStrings__Modular"] = "" },
            "token --subject alice --role customer");

        Assert.True(exitCode == 0, output);
        var token = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(3, token.Split('.').Length);
        Assert.True(File.Exists(key), "the command creates the local signing key on first use");
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("tokencmd"), ModuleCatalog.All,
            new Dictionary<string, string?> { [TestIdentity.KeyPathSetting] = key });
        using var alice = host.AnonymousClient();
        alice.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/catalog/products")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/api/modules")).StatusCode);
    }

    [Theory]
    [InlineData("token --role customer", "give --subject and at least one --role")]
    [InlineData("token --subject alice --role superuser", "--role takes one of: customer, staff, admin")]
    public async Task The_token_command_refuses_what_it_cannot_mint_on_stderr_with_a_non_zero_exit(string arguments, string complaint)
    {
        var (exitCode, output) = await HostProcess.RunCommandAsync(new Dictionary<string, string>(), arguments);

        Assert.Equal(2, exitCode);
        Assert.Contains(complaint, output, StringComparison.Ordinal);
    }
}
