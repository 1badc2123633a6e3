using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Testing;

namespace Modular.Host.Tests.Secrets;

/// <summary>Configuration from a folder of secret files, as Docker and Kubernetes mount them. See docs/adr/0022.</summary>
public sealed class SecretFilesTests : IDisposable
{
    private readonly DirectoryInfo _secrets = Directory.CreateTempSubdirectory("modular-secrets-");

    public void Dispose() => _secrets.Delete(recursive: true);

    [Fact]
    public async Task A_connection_string_in_a_secret_file_overrides_every_other_source_and_the_host_reaches_its_database()
    {
        var database = await PostgresServer.CreateDatabaseAsync("secretfiles");
        // As `docker secret` and `kubectl create secret --from-file` write it: with the editor's trailing newline.
        await File.WriteAllTextAsync(Path.Combine(_secrets.FullName, "ConnectionStrings__Modular"), database + "\n");

        await using var host = await ModularTestHost.StartAsync("Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Password=wrong", ModuleCatalog.All,
            new Dictionary<string, string?> { ["Modular:SecretsPath"] = _secrets.FullName });
        var ready = await host.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_secrets_folder_that_is_not_there_stops_start_up_naming_it()
    {
        var missing = Path.Combine(_secrets.FullName, "not-mounted");
        var database = await PostgresServer.CreateDatabaseAsync("nosecrets");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ModularTestHost.StartAsync(database, ModuleCatalog.All,
            new Dictionary<string, string?> { ["Modular:SecretsPath"] = missing }));

        Assert.Contains(missing, failure.Message, StringComparison.Ordinal);
    }
}
