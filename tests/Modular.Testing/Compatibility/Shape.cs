using System.Text;

namespace Modular.Testing.Compatibility;

/// <summary>
/// What clients in other processes rely on, as named entries (a message, an HTTP operation) each with named fields and
/// a description of each (its type): the form of the compatibility snapshots in docs/contracts, one entry a block, so a
/// snapshot reads as a diff in review. Lines starting with <c>#</c> are comments. See docs/adr/0034.
/// </summary>
public sealed record Shape(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Entries)
{
    public static Shape Parse(string text)
    {
        var entries = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? fields = null;
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (!line.StartsWith("  ", StringComparison.Ordinal))
            {
                entries[line] = fields = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (fields is not null && line.Trim().Split(": ", 2) is [var name, var description])
            {
                fields[name] = description;
            }
        }

        return new Shape(entries);
    }

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var (entry, fields) in Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(entry).Append('\n');
            foreach (var (name, description) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                text.Append("  ").Append(name).Append(": ").Append(description).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Every difference from <paramref name="before"/>, entry by entry and field by field.</summary>
    public ShapeChanges Since(Shape before)
    {
        var changes = new ShapeChanges();
        foreach (var (entry, oldFields) in before.Entries)
        {
            if (!Entries.TryGetValue(entry, out var fields))
            {
                changes.RemovedEntries.Add(entry);
                continue;
            }

            foreach (var (field, was) in oldFields)
            {
                if (!fields.TryGetValue(field, out var now))
                {
                    changes.RemovedFields.Add((entry, field));
                }
                else if (now != was)
                {
                    changes.ChangedFields.Add((entry, field, was, now));
                }
            }

            changes.AddedFields.AddRange(fields.Where(f => !oldFields.ContainsKey(f.Key)).Select(f => (entry, f.Key, f.Value)));
        }

        return changes;
    }
}

public sealed class ShapeChanges
{
    public List<string> RemovedEntries { get; } = [];

    public List<(string Entry, string Field)> RemovedFields { get; } = [];

    public List<(string Entry, string Field, string Was, string Now)> ChangedFields { get; } = [];

    public List<(string Entry, string Field, string Now)> AddedFields { get; } = [];
}
