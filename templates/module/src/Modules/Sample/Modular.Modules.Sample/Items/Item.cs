using System.Text.Json.Serialization;
using Modular.Modules.Sample.Contracts;

namespace Modular.Modules.Sample.Items;

/// <summary>A document of the module's store. Its decisions are methods that return the new state and the event.</summary>
public sealed class Item
{
    [JsonConstructor]
    private Item(Guid id, string name, DateTimeOffset addedAt)
    {
        Id = id;
        Name = name;
        AddedAt = addedAt;
    }

    public Guid Id { get; }

    public string Name { get; }

    public DateTimeOffset AddedAt { get; }

    public static (Item Item, ItemAdded Added) Add(Guid id, string name, DateTimeOffset now)
    {
        var item = new Item(id, name.Trim(), now);
        return (item, new ItemAdded(item.Id, item.Name, now));
    }
}

public sealed record ItemView(Guid Id, string Name, DateTimeOffset AddedAt)
{
    public static string UrlFor(Guid id) => $"/api/v1/sample/items/{id}";

    public static ItemView From(Item item) => new(item.Id, item.Name, item.AddedAt);
}
