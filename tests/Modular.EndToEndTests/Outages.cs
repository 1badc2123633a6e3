using Modular.Testing;
using Npgsql;

namespace Modular.EndToEndTests;

/// <summary>
/// The outage tests stop servers and processes and time what follows: they run one at a time, after the other tests,
/// so that their timings are not those of a machine busy with the rest of the suite.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Outages
{
    public const string Name = "Outages";

    /// <summary>Enough stock for every order a test places: no order is rejected for want of it.</summary>
    public const int OnHand = 100_000;

    /// <summary>The settings of a Release host process, as a deployment sets them; <paramref name="modules"/> empty hosts every module.</summary>
    public static Dictionary<string, string> Settings(string connectionString, string[] modules, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Modular"] = connectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        for (var i = 0; i < modules.Length; i++)
        {
            settings[$"Modular__Modules__{i}"] = modules[i];
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// Products with stock for every order, and one order of <paramref name="customer"/> for all of them taken to its end,
    /// so that Ordering knows their prices before the traffic starts. Several SKUs, so that what a test measures is the
    /// outage, not the retries of many orders racing for one stock item.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Skus, Guid WarmUp)> WarmUpAsync(ShopDriver driver, string customer, int products = 5)
    {
        var skus = new List<string>();
        for (var i = 0; i < products; i++)
        {
            skus.Add(await driver.StockedProductAsync(price: 2m, onHand: OnHand));
        }

        var warmUp = await driver.PlaceOrderAsync(customer, skus.Select(sku => new OrderLineRequest(sku, 1)).ToList());
        await driver.FinalOrderAsync(warmUp);
        return (skus, warmUp);
    }

    /// <summary>The orders the traffic saw accepted, and the warm-up order, with the payment token of each.</summary>
    public static Dictionary<Guid, string> Accepted(OrderTraffic traffic, Guid warmUp)
    {
        var accepted = traffic.Requests.Where(r => r.OrderId is not null).ToDictionary(r => r.OrderId!.Value, r => r.Token);
        accepted[warmUp] = "tok_visa";
        return accepted;
    }

    /// <summary>What Wolverine still holds in an envelope schema (incoming by status, scheduled, dead letters): where a stranded order's message is.</summary>
    public static async Task<string> EnvelopesAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select 'incoming ' || status || ' owner ' || owner_id || ' ' || message_type || ' attempts ' || attempts, count(*) from {schema}.wolverine_incoming_envelopes group by 1 " +
            $"union all select 'dead letter ' || message_type || ': ' || coalesce(exception_type, ''), count(*) from {schema}.wolverine_dead_letters group by 1 " +
            $"union all select 'outgoing ' || destination, count(*) from {schema}.wolverine_outgoing_envelopes group by 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetString(0)} ×{reader.GetInt64(1)}");
        }

        return lines.Count == 0 ? "no envelopes left" : string.Join(Environment.NewLine, lines);
    }
}
