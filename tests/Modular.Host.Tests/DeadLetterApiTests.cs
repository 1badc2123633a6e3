using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modular.Modules.Payments.Contracts;
using Modular.Testing;
using Wolverine;

namespace Modular.Host.Tests;

/// <summary>
/// <c>/api/platform/dead-letters</c> over the real dead letters of a host: a Probe module next to the catalog whose
/// messages fail at will (an invalid <see cref="Ping"/> at once, a <see cref="Flare"/> while its fuse is lit).
/// </summary>
public sealed class DeadLetterApiTests : IAsyncLifetime
{
    private const string Route = "/api/platform/dead-letters";
    private ModularTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("deadletters"), [.. ModuleCatalog.All, new ProbeModule()]);

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private IMessageBus Bus => _host.Host.MessageBus();

    [Fact]
    public async Task A_message_a_module_gave_up_on_is_listed_with_its_module_exception_attempts_and_body()
    {
        await Bus.PublishAsync(new Flare("boom"));

        var page = await ListUntilAsync("?module=Probe", 1);

        var dead = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("Probe", dead.GetProperty("module").GetString());
        Assert.Equal(typeof(Flare).FullName, dead.GetProperty("messageType").GetString());
        Assert.Equal("System.InvalidOperationException", dead.GetProperty("exceptionType").GetString());
        Assert.Equal("The fuse is lit: boom", dead.GetProperty("exceptionMessage").GetString());
        Assert.True(dead.GetProperty("attempts").GetInt32() >= 1);
        Assert.False(dead.GetProperty("replayRequested").GetBoolean());
        Assert.Equal("boom", dead.GetProperty("message").GetProperty("text").GetString());
        Assert.Equal("wolverine", page.GetProperty("envelopeSchema").GetString());

        var one = await _host.Client.GetFromJsonAsync<JsonElement>($"{Route}/{dead.GetProperty("id").GetGuid()}");
        Assert.Equal("boom", one.GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Dead_letters_are_filtered_by_module_message_type_and_exception_type_newest_first()
    {
        await Bus.PublishAsync(new Ping(""));
        await ListUntilAsync("", 1);
        await Bus.PublishAsync(new AuthorizePayment(Guid.Empty, 0m, "", ""));
        await ListUntilAsync("", 2);
        await Bus.PublishAsync(new Flare("boom"));
        var all = await ListUntilAsync("", 3);

        Assert.Equal(["Probe", "Payments", "Probe"], Modules(all));
        Assert.Equal(2, (await ListAsync("?module=probe")).GetProperty("totalCount").GetInt64());
        Assert.Equal(["Payments"], Modules(await ListAsync("?messageType=AuthorizePayment")));
        Assert.Equal(["Payments"], Modules(await ListAsync($"?messageType={typeof(AuthorizePayment).FullName}")));
        Assert.Equal([typeof(Flare).FullName!], MessageTypes(await ListAsync("?exceptionType=System.InvalidOperationException")));
        Assert.Equal([typeof(Ping).FullName!], MessageTypes(await ListAsync("?module=Probe&exceptionType=FluentValidation.ValidationException")));
        Assert.Empty(Modules(await ListAsync("?module=Catalog")));

        var second = await ListAsync("?pageSize=2&page=2");
        Assert.Equal(["Probe"], Modules(second));
        Assert.Equal(3, second.GetProperty("totalCount").GetInt64());
    }

    [Theory]
    [InlineData("?module=Warehouse", "module")]
    [InlineData("?messageType=NoSuchMessage", "messageType")]
    [InlineData("?page=0", "page")]
    [InlineData("?pageSize=500", "pageSize")]
    public async Task A_bad_filter_answers_400_naming_it(string query, string field)
    {
        var response = await _host.Client.GetAsync(Route + query);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task An_unknown_dead_letter_answers_404_to_reading_replaying_and_discarding_it()
    {
        var id = Guid.NewGuid();

        await Problems.AssertAsync(await _host.Client.GetAsync($"{Route}/{id}"), HttpStatusCode.NotFound);
        await Problems.AssertAsync(await _host.Client.PostAsync($"{Route}/{id}/replay", null), HttpStatusCode.NotFound);
        await Problems.AssertAsync(await _host.Client.DeleteAsync($"{Route}/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_bulk_replay_or_discard_that_names_nothing_is_refused()
    {
        await Problems.AssertAsync(await _host.Client.PostAsync($"{Route}/replay", null), HttpStatusCode.BadRequest);
        await Problems.AssertAsync(await _host.Client.PostAsync($"{Route}/discard", null), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_discarded_dead_letter_is_gone_at_once_and_a_discard_by_filter_takes_only_what_matches()
    {
        await Bus.PublishAsync(new Ping(""));
        await Bus.PublishAsync(new Ping(""));
        await Bus.PublishAsync(new Flare("keep me"));
        var all = await ListUntilAsync("", 3);
        var ping = all.GetProperty("items").EnumerateArray().First(d => d.GetProperty("messageType").GetString() == typeof(Ping).FullName);

        var discarded = await _host.Client.DeleteAsync($"{Route}/{ping.GetProperty("id").GetGuid()}");

        Assert.Equal(HttpStatusCode.NoContent, discarded.StatusCode);
        await Problems.AssertAsync(await _host.Client.GetAsync($"{Route}/{ping.GetProperty("id").GetGuid()}"), HttpStatusCode.NotFound);
        Assert.Equal(2, (await ListAsync("")).GetProperty("totalCount").GetInt64());

        var byFilter = await _host.Client.PostAsync($"{Route}/discard?messageType=Ping", null);

        Assert.Equal(HttpStatusCode.OK, byFilter.StatusCode);
        Assert.Equal(1, (await byFilter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("discarded").GetInt32());
        Assert.Equal([typeof(Flare).FullName!], MessageTypes(await ListAsync("")));
    }

    [Fact]
    public async Task A_replayed_dead_letter_is_marked_at_once_and_handled_again_once_its_cause_is_gone()
    {
        await Bus.PublishAsync(new Flare("second chance"));
        var dead = (await ListUntilAsync("?module=Probe", 1)).GetProperty("items")[0];
        _host.Services.GetRequiredService<Fuse>().Lit = false;

        var replay = await _host.Client.PostAsJsonAsync($"{Route}/replay?module=Probe", new { ids = new[] { dead.GetProperty("id").GetGuid() } });

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        var marked = await _host.Client.GetFromJsonAsync<JsonElement>($"{Route}/{dead.GetProperty("id").GetGuid()}");
        Assert.True(marked.GetProperty("replayRequested").GetBoolean());
        await Eventually.Get(() => Task.FromResult(_host.Services.GetRequiredService<Pings>().Handled.ToArray()),
            handled => handled.Contains("second chance"), "the replayed flare to be handled");
        await ListUntilAsync("", 0);
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        var response = await _host.Client.GetAsync(Route + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {Route}{query} answered {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private Task<JsonElement> ListUntilAsync(string query, int count) =>
        Eventually.Get(() => ListAsync(query), page => page.GetProperty("totalCount").GetInt64() == count, $"{count} dead letter(s) for '{query}'");

    private static string[] Modules(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("module").GetString() ?? "").ToArray();

    private static string[] MessageTypes(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("messageType").GetString() ?? "").ToArray();
}
