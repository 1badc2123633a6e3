using System.Security.Cryptography;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace Modular.Modules.Catalog.Products;

/// <summary>The <c>Catalog:ReadCache</c> section.</summary>
public sealed class ProductReadCacheOptions
{
    public const string SectionName = "Catalog:ReadCache";

    /// <summary>
    /// How long a product read is served from memory. This bounds how stale a read can be in a process that did not make
    /// the change (another replica, or any process when Catalog is written elsewhere); the process that makes a change
    /// forgets its copy at once. Zero reads PostgreSQL every time.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Products held at most: a client asking for many SKUs cannot grow the process without bound.</summary>
    public int MaxEntries { get; set; } = 10_000;
}

/// <summary>A product as the API shows it, and the entity tag of that representation, the same in every process.</summary>
public sealed record CachedProduct(ProductView View, string ETag)
{
    public static CachedProduct Of(Product product)
    {
        var view = ProductView.From(product);
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(view));
        return new CachedProduct(view, $"\"{Convert.ToHexStringLower(hash.AsSpan(0, 12))}\"");
    }
}

/// <summary>
/// Product reads served from memory for up to <see cref="ProductReadCacheOptions.MaxAge"/>: the hottest read of the shop
/// no longer asks PostgreSQL on every request. Unknown SKUs are not remembered (a product added elsewhere shows at once,
/// and guessing SKUs fills nothing). See docs/adr/0032.
/// </summary>
public sealed class ProductReadCache(ProductReadCacheOptions options) : IDisposable
{
    private readonly MemoryCache _products = new(new MemoryCacheOptions { SizeLimit = options.MaxEntries });

    public async Task<CachedProduct?> GetAsync(string sku, IQuerySession session, CancellationToken cancellation)
    {
        if (_products.TryGetValue(sku, out CachedProduct? cached))
        {
            return cached;
        }

        if (await session.LoadAsync<Product>(sku, cancellation) is not { } product)
        {
            return null;
        }

        cached = CachedProduct.Of(product);
        if (options.MaxAge > TimeSpan.Zero)
        {
            _products.Set(sku, cached, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.MaxAge, Size = 1 });
        }

        return cached;
    }

    /// <summary>This process changed the product: its next read goes to PostgreSQL.</summary>
    public void Forget(string sku) => _products.Remove(sku);

    public void Dispose() => _products.Dispose();
}
