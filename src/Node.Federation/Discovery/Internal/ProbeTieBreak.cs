using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

/// <summary>
/// RFC 6762 §8.2: when two hosts probe for the same name at once, the one whose proposed records are
/// lexicographically later wins. Records are sorted, then compared pairwise by class, type and raw
/// uncompressed rdata; a set that runs out first is the earlier.
/// </summary>
internal static class ProbeTieBreak
{
    /// <summary>Below 0 when ours is earlier (we lose), 0 when identical (no conflict), above 0 when ours wins.</summary>
    public static int Compare(IReadOnlyList<DnsRecord> ours, IReadOnlyList<DnsRecord> theirs)
    {
        var a = ours.Order(RecordOrder.Instance).ToArray();
        var b = theirs.Order(RecordOrder.Instance).ToArray();
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = RecordOrder.Instance.Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private sealed class RecordOrder : IComparer<DnsRecord>
    {
        public static readonly RecordOrder Instance = new();

        public int Compare(DnsRecord? x, DnsRecord? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var c = x.Class.CompareTo(y.Class);
            if (c == 0)
            {
                c = ((ushort)x.Type).CompareTo((ushort)y.Type);
            }

            return c != 0 ? c : x.Data.Canonical.SequenceCompareTo(y.Data.Canonical);
        }
    }
}
