using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Modular.BuildingBlocks.Http;
using Modular.Testing;

namespace Modular.Host.Tests.Abuse;

/// <summary>What every response tells a browser, and when the API description is served. See docs/adr/0021.</summary>
public sealed partial class ResponseHeadersTests
{
    [Fact]
    public async Task Every_answer_carries_the_security_headers_and_no_Server_header()
    {
        await using var host = await ModularTestHost.StartOnKestrelAsync(await PostgresServer.CreateDatabaseAsync("headers"), ModuleCatalog.All);

        var answers = new[]
        {
            await host.Client.GetAsync("/api/catalog/products"),
            await host.Client.GetAsync("/api/nothing-here"),
            await host.Client.PostAsync("/api/orders", new StringContent("{", Encoding.UTF8, "application/json")),
            await host.Client.GetAsync("/health/ready"),
        };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.OK], answers.Select(a => a.StatusCode));
        foreach (var answer in answers)
        {
            Assert.Equal("nosniff", Header(answer, "X-Content-Type-Options"));
            Assert.Equal("DENY", Header(answer, "X-Frame-Options"));
            Assert.Equal("no-referrer", Header(answer, "Referrer-Policy"));
            Assert.Equal(SecurityHeaders.ApiPolicy, Header(answer, "Content-Security-Policy"));
            Assert.False(answer.Headers.Contains("Server"), $"{answer.RequestMessage!.RequestUri} names its server: {answer.Headers.Server}");
        }
    }

    [Fact]
    public async Task The_API_reference_page_loads_only_from_its_own_origin_under_a_policy_that_lets_it_run()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("scalar"), ModuleCatalog.All);

        var page = await host.Client.GetAsync("/scalar/v1");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(SecurityHeaders.ApiReferencePolicy, Header(page, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(page, "X-Frame-Options"));
        // The policy allows 'self' only: nothing the page names may come from elsewhere, and what it names must be there.
        Assert.DoesNotMatch(ExternalReference(), html);
        var sources = ScriptSource().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var script = await host.Client.GetAsync(new Uri(new Uri(host.Client.BaseAddress!, "/scalar/v1"), source));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal(SecurityHeaders.ApiReferencePolicy, Header(script, "Content-Security-Policy"));
        }
    }

    [Fact]
    public async Task With_the_API_reference_off_neither_the_OpenAPI_document_nor_the_page_is_served()
    {
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("noreference"), ModuleCatalog.All,
            new Dictionary<string, string?> { ["Modular:ApiReference:Enabled"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/scalar/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/catalog/products")).StatusCode);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    [GeneratedRegex("""(src|href)\s*=\s*["']?(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("""<script[^>]*\ssrc\s*=\s*["'](?<src>[^"']+)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
