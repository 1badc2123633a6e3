using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.BuildingBlocks.Security;
using Modular.Testing;

namespace Modular.EndToEndTests;

/// <summary>The fulfilment scenarios with Inventory and Payments in a second process, over PostgreSQL queues; and what the split itself promises.</summary>
public sealed class InventoryAndPaymentsExtractedOverPostgreSql(SplitOverPostgreSqlShop shop) : FulfilmentScenarios<SplitOverPostgreSqlShop>(shop)
{
    [Fact]
    public async Task The_gateway_reports_the_health_of_the_modules_it_forwards_to()
    {
        var report = await Shop.Client.GetFromJsonAsync<JsonElement>("/health/ready");

        var checks = report.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("module:Inventory").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("module:Payments").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_topology_view_says_where_each_module_runs()
    {
        var view = await Shop.Client.GetFromJsonAsync<JsonElement>("/api/modules");

        Assert.Equal(["Catalog", "Ordering", "Shipping"], view.GetProperty("hostedHere").EnumerateArray().Select(m => m.GetString()));
        var inventory = view.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "Inventory");
        Assert.False(inventory.GetProperty("hostedHere").GetBoolean());
        Assert.Contains(Shop.Extracted.BaseAddress.ToString(), inventory.GetProperty("runsIn").GetString(), StringComparison.Ordinal);
        Assert.Contains("POST /api/v1/inventory/stock/{sku}/receipts", inventory.GetProperty("routes").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task The_modules_command_shows_the_same_view_without_starting_the_host()
    {
        var (exitCode, output) = await HostProcess.RunCommandAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Modular"] = Shop.ConnectionString,
            ["Modular__Modules__0"] = "Inventory",
            ["Modular__Modules__1"] = "Payments",
        }, "modules");

        Assert.True(exitCode == 0, output);
        var view = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        Assert.Equal("wolverine_inventory_payments", view.GetProperty("envelopeSchema").GetString());
        var ordering = view.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "Ordering");
        Assert.Equal("another process, its messages over PostgreSQL", ordering.GetProperty("runsIn").GetString());
        Assert.Contains("Modular.Modules.Inventory.Contracts.StockReserved", ordering.GetProperty("handles").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task The_extracted_process_checks_tokens_itself_and_the_gateway_forwards_the_callers()
    {
        using var anonymous = new HttpClient { BaseAddress = Shop.Extracted.BaseAddress };
        using var customer = new HttpClient { BaseAddress = Shop.Extracted.BaseAddress }.ActingAs("mallory", Roles.Customer);
        using var customerAtGateway = new HttpClient { BaseAddress = Shop.Main.BaseAddress }.ActingAs("mallory", Roles.Customer);
        using var anonymousAtGateway = new HttpClient { BaseAddress = Shop.Main.BaseAddress };

        await Problems.AssertAsync(await anonymous.GetAsync("/api/inventory/stock/ANY-1"), HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(await anonymous.GetAsync($"/api/payments/{Guid.NewGuid()}"), HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(await customer.PostAsJsonAsync("/api/inventory/stock/ANY-1/receipts", new { quantity = 1 }), HttpStatusCode.Forbidden);
        // Through the gateway, the extracted process sees the caller's own token: still a customer, still refused.
        await Problems.AssertAsync(await customerAtGateway.PostAsJsonAsync("/api/inventory/stock/ANY-1/receipts", new { quantity = 1 }), HttpStatusCode.Forbidden);
        await Problems.AssertAsync(await anonymousAtGateway.GetAsync("/api/inventory/stock/ANY-1"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_process_answers_and_documents_only_the_routes_of_the_modules_it_hosts_or_forwards_to()
    {
        using var extracted = TestIdentity.AdminClient(Shop.Extracted.BaseAddress);

        var catalogOnExtracted = await extracted.GetAsync("/api/catalog/products");
        var catalogOnGateway = await Shop.Client.GetAsync("/api/catalog/products");

        Assert.Equal(HttpStatusCode.NotFound, catalogOnExtracted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, catalogOnGateway.StatusCode);
        var extractedApi = (await extracted.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        var gatewayApi = (await Shop.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        Assert.False(extractedApi.TryGetProperty("/api/v1/catalog/products", out _));
        Assert.True(extractedApi.TryGetProperty("/api/v1/inventory/stock/{sku}", out _));
        Assert.True(gatewayApi.TryGetProperty("/api/v1/inventory/stock/{sku}", out _));
        Assert.True(gatewayApi.TryGetProperty("/api/v1/orders", out _));
    }

    [Fact]
    public async Task Each_process_receives_only_the_messages_of_the_modules_it_hosts()
    {
        var driver = new ShopDriver(Shop.Client);
        var sku = await driver.StockedProductAsync(price: 1m, onHand: 1);
        await driver.FinalOrderAsync(await driver.PlaceOrderAsync("inbox-check", [new(sku, 1)]));

        var mainInboxes = await DestinationsAsync("wolverine_catalog_ordering_shipping");
        var extractedInboxes = await DestinationsAsync("wolverine_inventory_payments");

        // Catalog's events reach Ordering in process; Inventory's and Payments' answers come over the queues.
        Assert.Subset(new HashSet<string> { "local://catalog/", "postgresql://catalog/", "local://ordering/", "postgresql://ordering/", "local://shipping/", "postgresql://shipping/" }, mainInboxes);
        Assert.Superset(new HashSet<string> { "local://ordering/", "postgresql://ordering/" }, mainInboxes);
        Assert.Subset(new HashSet<string> { "local://inventory/", "postgresql://inventory/", "local://payments/", "postgresql://payments/" }, extractedInboxes);
        Assert.Superset(new HashSet<string> { "postgresql://inventory/", "postgresql://payments/" }, extractedInboxes);
    }

    [Fact]
    public async Task Each_process_answers_for_its_own_dead_letters_and_the_gateway_forwards_a_request_naming_an_extracted_module()
    {
        var own = await Shop.Client.GetFromJsonAsync<JsonElement>("/api/platform/dead-letters");
        var payments = await Shop.Client.GetFromJsonAsync<JsonElement>("/api/platform/dead-letters?module=Payments");
        var replay = await Shop.Client.PostAsync("/api/platform/dead-letters/replay?module=payments&messageType=RefundPayment", null);
        var ordering = await Shop.Client.GetFromJsonAsync<JsonElement>("/api/platform/dead-letters?module=Ordering");

        Assert.Equal("wolverine_catalog_ordering_shipping", own.GetProperty("envelopeSchema").GetString());
        Assert.Equal("wolverine_inventory_payments", payments.GetProperty("envelopeSchema").GetString());
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(0, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        Assert.Equal("wolverine_catalog_ordering_shipping", ordering.GetProperty("envelopeSchema").GetString());
    }

    private async Task<HashSet<string>> DestinationsAsync(string envelopeSchema)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Shop.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select distinct received_at from {envelopeSchema}.wolverine_incoming_envelopes", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var destinations = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            destinations.Add(reader.GetString(0));
        }

        return destinations;
    }
}

/// <summary>The same scenarios with the same split, over RabbitMQ.</summary>
/// <summary>The processes of every RabbitMQ fixture share one broker and the same queue names: one such fixture at a time.</summary>
[Collection(RabbitMqBroker.Name)]
public sealed class InventoryAndPaymentsExtractedOverRabbitMq(SplitOverRabbitMqShop shop) : FulfilmentScenarios<SplitOverRabbitMqShop>(shop);

/// <summary>The fulfilment scenarios with Inventory and Payments on a PostgreSQL server of their own: a database per service.</summary>
[Collection(RabbitMqBroker.Name)]
public sealed class InventoryAndPaymentsOnADatabaseServerOfTheirOwn(DatabasePerServiceShop shop) : FulfilmentScenarios<DatabasePerServiceShop>(shop);

/// <summary>Test classes whose processes talk over the shared RabbitMQ broker, with the same queue names: run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqBroker
{
    public const string Name = "One RabbitMQ broker";
}
