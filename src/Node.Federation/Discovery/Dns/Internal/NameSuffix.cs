namespace Node.Federation.Discovery.Dns.Internal;

/// <summary>The labels of a name from <see cref="Start"/> on: a key for name compression, without a new <see cref="DnsName"/>.</summary>
internal readonly struct NameSuffix(IReadOnlyList<string> labels, int start) : IEquatable<NameSuffix>
{
    public IReadOnlyList<string> Labels { get; } = labels;

    public int Start { get; } = start;

    public int Count => Labels.Count - Start;

    // Ordinal, not ASCII-case-insensitive as DnsName compares: a pointer must not change the case a
    // reader sees (an instance name "Golden Test" is shown as written).
    public bool Equals(NameSuffix other)
    {
        if (other.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (!string.Equals(Labels[Start + i], other.Labels[other.Start + i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is NameSuffix other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = Start; i < Labels.Count; i++)
        {
            hash.Add(Labels[i], StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
