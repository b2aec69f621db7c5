using System.Diagnostics;
using Node.Federation.Sync.Reconciliation.Internal;

namespace Node.Federation.Sync.Reconciliation;

/// <summary>Building queries: what is asked of each range, and as much of it, in key order, as fits in a frame.</summary>
public sealed partial class ReconcileInitiator
{
    private bool Full => _width == SyncFingerprint.Length;

    // The whole key space: the whole set as one id list if small, else split.
    private List<Ask> InitialAsks()
    {
        var asks = new List<Ask>();
        Differ(Bound.Start, Bound.End, 0, _set.Count, dense: false, asks);
        return asks;
    }

    // A range whose fingerprints differ (or the whole space, at the start): my keys there as a list, or split.
    private void Differ(in Bound lower, in Bound upper, int start, int end, bool dense, List<Ask> into)
    {
        var count = end - start;
        var prefix = IdPrefix.LengthFor(count, Full);
        if (Splitting.ShouldList(count, dense, Splitting.ListCapacity(prefix, _options), _options))
        {
            into.Add(new Ask(lower, upper, AskKind.List, start, end) { PrefixLength = prefix });
            return;
        }

        var buckets = new List<Bucket>(_options.Buckets);
        Splitting.Split(_set, start, end, lower, upper, _options.Buckets, buckets);
        foreach (var bucket in buckets)
        {
            into.Add(new Ask(bucket.Lower, bucket.Upper, AskKind.Fingerprint, bucket.Start, bucket.End));
        }
    }

    // A range whose answer did not add up although every listed prefix matched: a chance (or crafted) prefix
    // collision. Listed again with whole ids, which cannot collide; split if that list would not fit.
    private void Relist(in Bound lower, in Bound upper, int start, int end, List<Ask> into)
    {
        if (end - start <= Splitting.ListCapacity(SyncKey.IdLength, _options))
        {
            into.Add(new Ask(lower, upper, AskKind.List, start, end) { PrefixLength = SyncKey.IdLength });
        }
        else
        {
            Differ(lower, upper, start, end, dense: false, into);
        }
    }

    // As many pending asks, in key order, as fit in a frame and the window (Pace); the rest wait for the next query.
    private byte[] Query()
    {
        var writer = new MessageWriter();
        writer.Header(_width, _own);
        var budget = _options.FrameLimit - Wire.CloseReserve;
        var sent = 0;
        for (; sent < _pending.Count && sent < _window; sent++)
        {
            var mark = writer.Save();
            Write(writer, _pending[sent]);
            if (writer.Length > budget || writer.Ranges > _options.MaxRangesPerMessage - 2)
            {
                writer.Restore(mark);
                break;
            }
        }

        Debug.Assert(sent > 0, "every ask fits in an empty frame");
        _asked = new List<Ask>(sent);
        _pending.Take(sent, _asked);
        var query = writer.Finish();
        Rounds++;
        BytesSent += query.Length;
        return query;
    }

    private void Write(MessageWriter writer, in Ask ask)
    {
        switch (ask.Kind)
        {
            case AskKind.Fingerprint:
                writer.Range(ask.Lower, ask.Upper, RangeMode.Fingerprint);
                writer.Fingerprint(_set.Fingerprint(ask.Start, ask.End), _width);
                break;
            case AskKind.List:
                writer.Range(ask.Lower, ask.Upper, RangeMode.IdList);
                writer.Varint((ulong)(ask.End - ask.Start));
                if (ask.End > ask.Start)
                {
                    writer.Byte((byte)ask.PrefixLength);
                    for (var i = ask.Start; i < ask.End; i++)
                    {
                        writer.Prefix(_set.Keys[i], ask.PrefixLength);
                    }
                }

                break;
            default:
                var request = ask.Request!;
                writer.Range(ask.Lower, ask.Upper, RangeMode.IdRequest);
                writer.Varint((ulong)request.Count);
                writer.Bytes(request.Bitmap);
                break;
        }
    }
}
