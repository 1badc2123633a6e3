using Modular.Testing;
using Npgsql;

namespace Modular.EndToEndTests;

/// <summary>The service logged in as one PostgreSQL role per module and one for messaging, as a deployment runs it. See docs/adr/0020.</summary>
public sealed class DatabaseRoleTests
{
    private static readonly string[] Roles = ["Catalog", "Inventory", "Ordering", "Payments", "Shipping", "Messaging"];

    [Fact]
    public async Task A_host_logged_in_as_its_module_roles_takes_an_order_to_Confirmed_and_never_logs_in_as_the_owner()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("e2e_roles");
        var passwords = Roles.ToDictionary(role => $"Modular__Database__Passwords__{role}", _ => Guid.NewGuid().ToString("N"));
        // The same environment for resources setup (run as the owner) and for the service (run as the roles).
        await using var host = await HostProcess.StartAsync("all modules, a role each", Outages.Settings(connectionString, [], passwords));
        using var client = TestIdentity.AdminClient(host.BaseAddress);
        var shop = new ShopDriver(client);

        var sku = await shop.StockedProductAsync(price: 4.50m, onHand: 3);
        var orderId = await shop.PlaceOrderAsync("dora", [new(sku, 2)]);
        var order = await shop.FinalOrderAsync(orderId);

        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
        // Shipping hears of the confirmation after the order is Confirmed: its login is only certain once the shipment exists.
        await shop.ShipmentAsync(orderId);
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        Assert.Equal(Roles.Select(role => $"{database}_{role.ToLowerInvariant()}").Order(), await LoginsOfOthersAsync(connectionString));
    }

    /// <summary>Who the sessions on this database, other than this query's own, logged in as.</summary>
    private static async Task<List<string>> LoginsOfOthersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var logins = new List<string>();
        while (await reader.ReadAsync())
        {
            logins.Add(reader.GetString(0));
        }

        return logins;
    }
}
