using System.Globalization;

namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>
/// The responder's answer to one query, range by range in key order: a fingerprint that matches is skipped, one that
/// differs is answered with an id list (few keys) or a split; an id list with an id diff (or a split, when this side has too many
/// keys there to send); a request with the keys asked for. What does not fit in the frame, or past the work budget,
/// is deferred: the initiator asks for it again next round.
/// </summary>
internal sealed class ResponderRound
{
    /// <summary>Units of work (keys visited, fingerprints computed) one query may cost before the rest is deferred.</summary>
    public const long WorkBudget = 1L << 22;

    private const int FingerprintWork = 2 * SyncKeySet.CheckpointInterval;

    // A streamed piece is sent only with at least this many keys; with less room, the range waits for the next reply.
    private const int MinStreamKeys = 16;

    // Room a streamed piece needs besides its keys: two range heads, the piece's counts, two fingerprints.
    private const int StreamReserve = Wire.CloseReserve + (2 * Varint.MaxLength) + (2 * SyncFingerprint.Length);

    private readonly SyncKeySet _set;
    private readonly ParsedMessage _query;
    private readonly ReconcileOptions _options;
    private readonly MessageWriter _writer = new();
    private readonly PrefixMatcher _matcher = new();
    private readonly List<Bucket> _buckets = [];
    private readonly List<int> _missing = [];
    private readonly int _budget;
    private long _work;
    private bool _full; // no room left for what was being answered: defer it

    public ResponderRound(SyncKeySet set, ParsedMessage query, ReconcileOptions options)
    {
        _set = set;
        _query = query;
        _options = options;
        _budget = options.FrameLimit - Wire.CloseReserve;
    }

    private int Width => _query.FingerprintLength;

    public ReconcileResult Run()
    {
        var own = _set.Fingerprint();
        _writer.Header(Width, own);
        if (_query.Set == own)
        {
            return ReconcileResult.Send(_writer.Finish()); // in sync: every range is skipped
        }

        var ranges = _query.Ranges;
        var lower = 0; // index in the set of the current range's lower bound
        foreach (var range in ranges)
        {
            var upper = range.Upper.IndexIn(_set, lower);
            var mark = _writer.Save();
            var refusal = range.Mode switch
            {
                RangeMode.Fingerprint => Compare(range, lower, upper),
                RangeMode.IdList => AnswerList(range, lower, upper),
                RangeMode.IdRequest => AnswerRequest(range, lower, upper),
                _ => null,
            };
            if (refusal is { } refused)
            {
                return refused;
            }

            if (!Fits())
            {
                _writer.Restore(mark);
                return Defer(range.Lower);
            }

            lower = upper;
        }

        return ReconcileResult.Send(_writer.Finish());
    }

    // A fingerprint that matches is skipped; one that differs is answered with this side's keys there.
    private ReconcileResult? Compare(in WireRange range, int start, int end)
    {
        _work += FingerprintWork;
        if (!_set.Fingerprint(start, end).StartsWith(_query.FingerprintOf(range)))
        {
            Differ(range.Lower, range.Upper, start, end);
        }

        return null;
    }

    // A range whose fingerprints differ: this side's keys there as an id list if they are few, else split into
    // fingerprints. The responder does not list a dense range early as the initiator does: a list from the responder
    // takes a request and another reply to bring the keys the initiator lacks; the initiator's list, one reply.
    private void Differ(in Bound lower, in Bound upper, int start, int end)
    {
        var count = end - start;
        var prefix = IdPrefix.LengthFor(count, _query.Full);
        if (Splitting.ShouldList(count, dense: false, ListCapacity(prefix), _options))
        {
            _writer.Range(lower, upper, RangeMode.IdList);
            _writer.Fingerprint(_set.Fingerprint(start, end), Width);
            _writer.Varint((ulong)count);
            if (count > 0)
            {
                _writer.Byte((byte)prefix);
                for (var i = start; i < end; i++)
                {
                    _writer.Prefix(_set.Keys[i], prefix);
                }
            }

            _work += count;
            return;
        }

        _buckets.Clear();
        Splitting.Split(_set, start, end, lower, upper, _options.Buckets, _buckets);
        foreach (var bucket in _buckets)
        {
            _writer.Range(bucket.Lower, bucket.Upper, RangeMode.Fingerprint);
            _writer.Fingerprint(_set.Fingerprint(bucket.Start, bucket.End), Width);
            _work += FingerprintWork;
        }
    }

    // The responder lists no more keys than a reply can send back in full, so any request for them fits.
    private int ListCapacity(int prefix) => Math.Min(Splitting.ListCapacity(prefix, _options), FullBudget / Wire.MaxKeyBytes);

    private int FullBudget => _budget - Wire.HeaderLength;

    // The initiator's id list: which entries this side lacks, and this side's keys it lacks, in full; or, when this
    // side has too many keys there to send, a split, so the initiator narrows the range down.
    private ReconcileResult? AnswerList(in WireRange range, int start, int end)
    {
        var count = end - start;
        if (range.Count == 0)
        {
            Stream(range, start, end);
            return null;
        }

        if (count > _options.MaxIdsPerList)
        {
            Differ(range.Lower, range.Upper, start, end);
            return null;
        }

        var bitmap = new byte[Wire.BitmapLength(range.Count)];
        _missing.Clear();
        _matcher.Match(_query.Bytes.Span[range.Data..], range.Count, range.PrefixLength, _set, start, end, bitmap, _missing);
        _work += range.Count + count;
        var size = (2 * Varint.MaxLength) + bitmap.Length + (_missing.Count * Wire.MaxKeyBytes) + Width;
        if (size > FullBudget)
        {
            Differ(range.Lower, range.Upper, start, end);
            return null;
        }

        _writer.Range(range.Lower, range.Upper, RangeMode.IdDiff);
        _writer.Varint((ulong)range.Count);
        _writer.Bytes(bitmap);
        _writer.Varint((ulong)_missing.Count);
        var hlc = range.Lower.Key.Hlc;
        foreach (var index in _missing)
        {
            _writer.Key(_set.Keys[index], ref hlc);
        }

        _writer.Fingerprint(_set.Fingerprint(start, end), Width);
        return null;
    }

    // The initiator has no key in the range: this side's keys there go in full, as many as the frame has room for,
    // and the rest of the range as a fingerprint, which the initiator answers with another empty list. A range one
    // side lacks streams over as many rounds as it takes, a frame at a time, with no split.
    private void Stream(in WireRange range, int start, int end)
    {
        var keys = _set.Keys;
        var room = _budget - _writer.Length - StreamReserve;
        var hlc = range.Lower.Key.Hlc;
        var fit = 0;
        for (var i = start; i < end && fit < _options.MaxIdsPerList; i++, fit++)
        {
            var size = Varint.Length(keys[i].Hlc - hlc) + SyncKey.IdLength;
            if (size > room)
            {
                break;
            }

            room -= size;
            hlc = keys[i].Hlc;
        }

        _work += fit;
        if (fit < end - start && fit < MinStreamKeys)
        {
            _full = true;
            return;
        }

        var cut = fit == end - start ? range.Upper : Bound.Between(keys[start + fit - 1], keys[start + fit], range.Lower.Key.Hlc);
        _writer.Range(range.Lower, cut, RangeMode.IdDiff);
        _writer.Varint(0); // the list's entries: none, so no bitmap
        _writer.Varint((ulong)fit);
        hlc = range.Lower.Key.Hlc;
        for (var i = start; i < start + fit; i++)
        {
            _writer.Key(keys[i], ref hlc);
        }

        _writer.Fingerprint(_set.Fingerprint(start, start + fit), Width);
        if (cut != range.Upper)
        {
            _writer.Range(cut, range.Upper, RangeMode.Fingerprint);
            _writer.Fingerprint(_set.Fingerprint(start + fit, end), Width);
        }
    }

    // The initiator asks for some of the entries of an id list this side sent: they are its keys in the range, in order.
    private ReconcileResult? AnswerRequest(in WireRange range, int start, int end)
    {
        if (end - start != range.Count)
        {
            return ReconcileResult.Refuse(ReconcileError.SetChanged, Text(
                $"a request counts {range.Count} keys in range {range.Lower}..{range.Upper}; this set has {end - start} there"));
        }

        var bitmap = _query.BitmapOf(range);
        var asked = 0;
        for (var i = 0; i < range.Count; i++)
        {
            asked += Wire.Bit(bitmap, i) ? 1 : 0;
        }

        if (asked * Wire.MaxKeyBytes > FullBudget)
        {
            return ReconcileResult.Refuse(ReconcileError.ListTooLong, Text(
                $"a request asks for {asked} keys; a reply within the frame limit of {_options.FrameLimit} bytes holds {FullBudget / Wire.MaxKeyBytes}"));
        }

        _writer.Range(range.Lower, range.Upper, RangeMode.Ids);
        _writer.Varint((ulong)asked);
        var hlc = range.Lower.Key.Hlc;
        for (var i = 0; i < range.Count; i++)
        {
            if (Wire.Bit(bitmap, i))
            {
                _writer.Key(_set.Keys[start + i], ref hlc);
            }
        }

        _work += range.Count;
        return null;
    }

    private bool Fits() =>
        !_full && _writer.Length <= _budget && _writer.Ranges <= _options.MaxRangesPerMessage - 2 && _work <= WorkBudget;

    private ReconcileResult Defer(in Bound from)
    {
        _writer.Range(from, Bound.End, RangeMode.Deferred);
        return ReconcileResult.Send(_writer.Finish());
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
