using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.Modules.Sample.Contracts;
using Modular.Modules.Sample.Items;
using Modular.Testing;
using Wolverine.Marten;
using Wolverine.Tracking;

namespace Modular.Modules.Sample.Tests;

public sealed class ItemTests(SampleHost sample) : IClassFixture<SampleHost>
{
    [Fact]
    public void Adding_an_item_returns_201_the_event_and_the_insert()
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        var (created, added, op) = AddItemEndpoint.Post(new AddItem(" Lamp "), new FixedClock(now));

        Assert.Equal("Lamp", added.Name);
        Assert.Equal(now, added.AddedAt);
        Assert.Equal(ItemView.UrlFor(added.ItemId), created.Location);
        Assert.Equal(added.ItemId, Assert.IsType<Item>(Assert.IsType<InsertDoc<Item>>(op).Document).Id);
    }

    [Fact]
    public async Task An_added_item_can_be_read_back_and_its_event_is_published()
    {
        var (response, tracked) = await sample.TrackAsync(client => client.PostAsJsonAsync("/api/v1/sample/items", new { name = "Lamp" }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var added = tracked.FindSingleTrackedMessageOfType<ItemAdded>();
        var item = await sample.Client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal((added.ItemId, "Lamp"), (item.GetProperty("id").GetGuid(), item.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task An_item_without_a_name_answers_400_naming_the_field()
    {
        var response = await sample.Client.PostAsJsonAsync("/api/v1/sample/items", new { name = "" });

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Name", out _));
    }

    [Fact]
    public async Task An_unknown_item_answers_404_with_problem_details()
    {
        var response = await sample.Client.GetAsync($"/api/v1/sample/items/{Guid.NewGuid()}");

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }
}
