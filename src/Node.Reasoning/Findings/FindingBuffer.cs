namespace Node.Reasoning.Findings;

/// <summary>The findings of one observation: a fixed-capacity list reused from one observation to the next.</summary>
/// <remarks>Not thread-safe. A finding past the capacity is dropped and counted in <see cref="Dropped"/>.</remarks>
public sealed class FindingBuffer
{
    private readonly Finding[] _items;

    /// <summary>Makes a buffer for up to <paramref name="capacity"/> findings.</summary>
    public FindingBuffer(int capacity = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new Finding[capacity];
    }

    /// <summary>How many findings it holds.</summary>
    public int Count { get; private set; }

    /// <summary>How many findings were dropped for want of room since the last <see cref="Clear"/>.</summary>
    public int Dropped { get; private set; }

    /// <summary>The findings held.</summary>
    public ReadOnlySpan<Finding> Items => _items.AsSpan(0, Count);

    /// <summary>Adds a finding, or counts it as dropped when full.</summary>
    public void Add(in Finding finding)
    {
        if (Count == _items.Length)
        {
            Dropped++;
            return;
        }

        _items[Count++] = finding;
    }

    /// <summary>Whether a finding of <paramref name="kind"/> is held.</summary>
    public bool Contains(FindingKind kind)
    {
        foreach (ref readonly var finding in Items)
        {
            if (finding.Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Empties it for the next observation.</summary>
    public void Clear()
    {
        Count = 0;
        Dropped = 0;
    }
}
