using System.Net;
using Modular.Modules.Catalog.Contracts;
using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Catalog.Tests;

/// <summary>No event without its commit, no commit without its event.</summary>
public sealed class OutboxTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task A_product_whose_commit_fails_publishes_no_ProductAdded()
    {
        // The database refuses this one product at commit time, after the handler has returned its event.
        await Sql.ExecuteAsync(catalog.ConnectionString, """
            create or replace function catalog.refuse_doomed() returns trigger language plpgsql as $$
            begin
              if new.id = 'DOOMED-1' then raise exception 'refused by test trigger'; end if;
              return new;
            end $$;
            create trigger refuse_doomed before insert on catalog.mt_doc_product
              for each row execute function catalog.refuse_doomed();
            """);

        var (response, tracked) = await catalog.TrackAsync(_ => catalog.AddAsync("doomed-1"));

        // The caller learns that it failed and how to find it in the logs, never what failed inside.
        var problem = await Problems.AssertAsync(response, HttpStatusCode.InternalServerError);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        foreach (var inside in new[] { "refused by test trigger", "Npgsql", "Postgres", "Exception", "catalog.", "Host=", "   at " })
        {
            Assert.DoesNotContain(inside, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Empty(tracked.Sent.MessagesOf<ProductAdded>());
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.Client.GetAsync("/api/catalog/products/DOOMED-1")).StatusCode);
        Assert.Equal(0, await Sql.CountAsync(catalog.ConnectionString,
            "select (select count(*) from wolverine.wolverine_outgoing_envelopes where message_type like '%ProductAdded%') " +
            "+ (select count(*) from wolverine.wolverine_incoming_envelopes where convert_from(body, 'UTF8') like '%DOOMED-1%')"));
        Assert.DoesNotContain(catalog.Recorded.Of<ProductAdded>(), e => e.Sku == "DOOMED-1");
    }

    [Fact]
    public async Task Racing_adds_of_one_SKU_create_one_product_and_publish_one_ProductAdded()
    {
        var sku = $"RACE-{Guid.NewGuid().ToString("N")[..8]}".ToUpperInvariant();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => catalog.AddAsync(sku)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await Eventually.Get(() => Task.FromResult(catalog.Recorded.Of<ProductAdded>().Count(e => e.Sku == sku)), n => n >= 1,
            $"ProductAdded for {sku}");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(catalog.Recorded.Of<ProductAdded>(), e => e.Sku == sku);
    }
}
