namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>
/// Compares the other side's id list (prefixes) with this side's keys in the same range. A key whose prefix is not
/// listed is certainly missing there; an entry no key here has the prefix of is certainly missing here. A key that
/// differs but shares a listed prefix goes unseen: the range's fingerprint, checked afterwards, catches it.
/// </summary>
/// <remarks>Not thread-safe: keeps its dictionary between calls.</remarks>
internal sealed class PrefixMatcher
{
    private readonly Dictionary<IdPrefix, bool> _matched = [];

    /// <summary>
    /// Matches the <paramref name="count"/> entries of <paramref name="prefixLength"/> bytes in <paramref name="prefixes"/>
    /// with the keys of <paramref name="set"/> at [<paramref name="start"/>, <paramref name="end"/>).
    /// <paramref name="entriesMissing"/> (⌈count / 8⌉ bytes, zeroed) gets a bit set for each entry no key here has;
    /// <paramref name="keysMissing"/> gets the index of each key here whose prefix is not listed, in order.
    /// </summary>
    /// <returns>How many entries are missing here.</returns>
    public int Match(ReadOnlySpan<byte> prefixes, int count, int prefixLength, SyncKeySet set, int start, int end,
        Span<byte> entriesMissing, List<int> keysMissing)
    {
        _matched.Clear();
        for (var i = 0; i < count; i++)
        {
            _matched.TryAdd(IdPrefix.Read(prefixes.Slice(i * prefixLength, prefixLength)), false);
        }

        var keys = set.Keys;
        for (var i = start; i < end; i++)
        {
            var prefix = IdPrefix.Of(keys[i], prefixLength);
            if (_matched.ContainsKey(prefix))
            {
                _matched[prefix] = true;
            }
            else
            {
                keysMissing.Add(i);
            }
        }

        var missing = 0;
        for (var i = 0; i < count; i++)
        {
            if (!_matched[IdPrefix.Read(prefixes.Slice(i * prefixLength, prefixLength))])
            {
                Wire.SetBit(entriesMissing, i);
                missing++;
            }
        }

        return missing;
    }
}
