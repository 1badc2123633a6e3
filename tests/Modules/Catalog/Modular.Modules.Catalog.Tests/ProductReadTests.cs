using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Modular.BuildingBlocks.Domain;
using Modular.Modules.Catalog.Products;
using Modular.Testing;

namespace Modular.Modules.Catalog.Tests;

/// <summary>Product reads come from memory for a stated time and carry an entity tag (docs/adr/0032).</summary>
public sealed class ProductReadTests : IAsyncLifetime
{
    /// <summary>Long enough that the read right after another process's change surely still finds the cached copy.</summary>
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private ModularTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync("catalog_reads");
        _host = await ModularTestHost.StartAsync(database, [new CatalogModule()],
            new Dictionary<string, string?> { ["Catalog:ReadCache:MaxAge"] = MaxAge.ToString() });
        await _host.Services.GetRequiredService<ICatalogStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task A_product_answers_304_to_its_entity_tag_until_it_changes_and_200_with_a_new_tag_after()
    {
        var sku = await AddAsync(price: 10m);
        var first = await _host.Client.GetAsync($"/api/catalog/products/{sku}");
        var tag = first.Headers.ETag ?? throw new InvalidOperationException("no ETag on a product read");
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());

        var unchanged = await GetAsync(sku, tag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(tag, unchanged.Headers.ETag);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());

        // Changed through this process: its cached copy is forgotten at once, no waiting for the bound.
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.PutAsJsonAsync($"/api/catalog/products/{sku}/price", new { price = 12.5m, currency = "EUR" })).StatusCode);
        var changed = await GetAsync(sku, tag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(tag, changed.Headers.ETag);
        Assert.Equal(12.5m, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task A_change_made_by_another_process_is_read_here_within_the_stated_bound_and_not_before_the_cached_copy_ages()
    {
        var sku = await AddAsync(price: 10m);
        Assert.Equal(10m, await PriceAsync(sku));

        // Another replica's change: written to the database without passing through this process.
        await using (var session = _host.Services.GetRequiredService<ICatalogStore>().LightweightSession())
        {
            var product = await session.LoadAsync<Product>(sku) ?? throw new InvalidOperationException($"{sku} was not stored");
            product.ChangePrice(new Money(20m, "EUR"), DateTimeOffset.UtcNow);
            session.Store(product);
            await session.SaveChangesAsync();
        }

        var changedAt = Stopwatch.StartNew();
        Assert.Equal(10m, await PriceAsync(sku));
        while (await PriceAsync(sku) != 20m)
        {
            Assert.True(changedAt.Elapsed < MaxAge + TimeSpan.FromSeconds(2), $"the change was not read within {MaxAge} (+2 s)");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_unknown_SKU_answers_404_and_is_found_as_soon_as_it_is_added()
    {
        var sku = $"NEW-{Guid.NewGuid().ToString("N")[..8]}".ToUpperInvariant();
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync($"/api/catalog/products/{sku}")).StatusCode);

        await AddAsync(price: 3m, sku);

        Assert.Equal(3m, await PriceAsync(sku));
    }

    private async Task<string> AddAsync(decimal price, string? sku = null)
    {
        sku ??= $"READ-{Guid.NewGuid().ToString("N")[..8]}".ToUpperInvariant();
        var added = await _host.Client.PostAsJsonAsync("/api/catalog/products", new { sku, name = "Read me", description = "", price, currency = "EUR" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        return sku;
    }

    private Task<HttpResponseMessage> GetAsync(string sku, EntityTagHeaderValue tag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/catalog/products/{sku}");
        request.Headers.IfNoneMatch.Add(tag);
        return _host.Client.SendAsync(request);
    }

    private async Task<decimal> PriceAsync(string sku) =>
        (await _host.Client.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{sku}")).GetProperty("price").GetDecimal();
}
