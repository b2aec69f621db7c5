namespace Node.Cli;

/// <summary>The words nodectl uses for the values of an API enum (<c>note</c> for <c>PACKET_KIND_NOTE</c>…).</summary>
internal sealed class Choices<T>(params IReadOnlyList<(string Name, T Value)> items)
    where T : struct, Enum
{
    /// <summary>The words, in the order help lists them.</summary>
    public IReadOnlyList<string> Names { get; } = [.. items.Select(item => item.Name)];

    /// <summary>The value of <paramref name="name"/> (ordinal, ignoring case).</summary>
    public bool TryParse(string? name, out T value)
    {
        foreach (var item in items)
        {
            if (string.Equals(item.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = item.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The value of <paramref name="name"/>, or the enum's zero (unspecified) when it is null.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of <see cref="Names"/> (the parser has checked it).</exception>
    public T Parse(string? name) =>
        name is null ? default
        : TryParse(name, out var value) ? value
        : throw new ArgumentException($"'{name}' is not one of {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The word for <paramref name="value"/>: "unspecified" for zero, the number for one this nodectl does not know.</summary>
    public string NameOf(T value)
    {
        foreach (var item in items)
        {
            if (EqualityComparer<T>.Default.Equals(item.Value, value))
            {
                return item.Name;
            }
        }

        return EqualityComparer<T>.Default.Equals(value, default) ? "unspecified" : value.ToString();
    }
}
