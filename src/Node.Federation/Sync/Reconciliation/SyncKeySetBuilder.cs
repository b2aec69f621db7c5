namespace Node.Federation.Sync.Reconciliation;

/// <summary>
/// Collects keys for a <see cref="SyncKeySet"/> into one buffer that the set then keeps, so a large set is built
/// without a second copy of its keys (1,000,000 keys are 40 MB).
/// </summary>
/// <remarks>Not thread-safe. Single use: <see cref="Build"/> hands the buffer over.</remarks>
public sealed class SyncKeySetBuilder
{
    private SyncKey[]? _buffer;
    private int _count;

    /// <summary>Makes a builder with room for <paramref name="capacity"/> keys; it grows past that if needed.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public SyncKeySetBuilder(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _buffer = new SyncKey[capacity];
    }

    /// <summary>The keys added so far, duplicates included.</summary>
    public int Count => _count;

    /// <summary>Adds a key, in any order; a duplicate is dropped when the set is built.</summary>
    /// <exception cref="InvalidOperationException">The set was already built.</exception>
    public void Add(SyncKey key)
    {
        var buffer = _buffer ?? throw new InvalidOperationException("The set was already built.");
        if (_count == buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(4, buffer.Length * 2));
            _buffer = buffer;
        }

        buffer[_count++] = key;
    }

    /// <summary>Sorts the keys, drops duplicates and makes the set; the builder is spent.</summary>
    /// <exception cref="InvalidOperationException">The set was already built.</exception>
    public SyncKeySet Build()
    {
        var buffer = _buffer ?? throw new InvalidOperationException("The set was already built.");
        _buffer = null;
        return SyncKeySet.Owning(buffer, _count);
    }
}
