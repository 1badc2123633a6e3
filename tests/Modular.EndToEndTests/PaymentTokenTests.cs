using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Modular.Host;
using Modular.Modules.Payments.Provider;
using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>
/// The payment token is a credential for charging the customer: only Payments may read it. Searched for while Wolverine
/// still keeps the handled messages, bodies included (docs/adr/0023).
/// </summary>
public sealed class PaymentTokenTests
{
    [Fact]
    public async Task Orders_leave_their_payment_tokens_in_no_table_of_the_database_and_Payments_still_charges_by_them()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("e2e_payment_token");
        await using var host = await ModularTestHost.StartAsync(connectionString, ModuleCatalog.All);
        var shop = new ShopDriver(host.Client);
        var provider = (SimulatedPaymentProvider)host.Services.GetRequiredService<IPaymentProvider>();
        var sku = await shop.StockedProductAsync(price: 5m, onHand: 10);
        var secret = $"secret_{Guid.NewGuid():N}";
        string[] tokens = [$"tok_{secret}", $"tok_decline_{secret}", $"tok_fail_2_{secret}", $"tok_refund_{secret}"];

        var confirmed = await shop.PlaceOrderAsync("tina", [new(sku, 1)], tokens[0]);
        var declined = await shop.PlaceOrderAsync("tina", [new(sku, 1)], tokens[1]);
        var retried = await shop.PlaceOrderAsync("tina", [new(sku, 1)], tokens[2]);
        var cancelled = await shop.PlaceOrderAsync("tina", [new(sku, 1)], tokens[3]);
        Assert.Equal("Confirmed", await StatusAsync(shop, confirmed));
        Assert.Equal("Confirmed", await StatusAsync(shop, cancelled));
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync($"/api/orders/{cancelled}/cancel", null)).StatusCode);

        Assert.Equal("Rejected", await StatusAsync(shop, declined));
        Assert.Equal("Confirmed", await StatusAsync(shop, retried));
        await Eventually.Get(() => shop.OrderAsync(cancelled), o => o.GetProperty("status").GetString() == "Cancelled", "the order to be cancelled");
        Assert.Equal("Authorized", (await shop.PaymentAsync(confirmed)).GetProperty("status").GetString());
        Assert.Equal("Declined", (await shop.PaymentAsync(declined)).GetProperty("status").GetString());
        Assert.Equal(3, provider.AttemptsFor(retried));
        Assert.Equal("Refunded", (await shop.PaymentAsync(cancelled)).GetProperty("status").GetString());

        // Not a search of empty tables: the payment requests are still kept, bodies and all, after they were handled.
        Assert.True(await Sql.CountAsync(connectionString,
            "select count(*) from wolverine.wolverine_incoming_envelopes where message_type like '%AuthorizePayment%'") >= 4);
        var holding = new List<string>();
        foreach (var (schema, table) in await Sql.TablesAsync(connectionString))
        {
            foreach (var token in tokens)
            {
                // The row as text, with bytea columns (message bodies) shown in hex: search for both spellings.
                var found = await Sql.CountAsync(connectionString,
                    $"select count(*) from \"{schema}\".\"{table}\" t where strpos(t::text, @token) > 0 or strpos(t::text, @hex) > 0",
                    ("token", token), ("hex", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(token))));
                if (found > 0)
                {
                    holding.Add($"{schema}.{table} holds {token} in {found} rows");
                }
            }
        }

        Assert.True(holding.Count == 0, string.Join(Environment.NewLine, holding));
    }

    private static async Task<string?> StatusAsync(ShopDriver shop, Guid orderId) =>
        (await shop.FinalOrderAsync(orderId)).GetProperty("status").GetString();
}
