using Node.Federation.Sync.Reconciliation.Internal;

namespace Node.Federation.Sync.Reconciliation;

/// <summary>
/// Reading replies: each range of a reply must answer what the last query asked of it (a skip only where a
/// fingerprint was sent, an id diff exactly where a list was, the keys exactly where they were requested, a deferral
/// only of whole asks); what it settles goes to have and need once checked against the responder's fingerprint.
/// </summary>
public sealed partial class ReconcileInitiator
{
    private ReconcileResult? Process(ParsedMessage reply, Answer answer)
    {
        var ranges = reply.Ranges;
        var indices = new int[ranges.Count + 1]; // this side's index of each range's lower bound, then the last upper
        var dense = Runs(reply, indices, out var differs);
        var asked = 0;
        for (var i = 0; i < ranges.Count; i++)
        {
            var range = ranges[i];
            while (asked < _asked.Count && _asked[asked].Upper <= range.Lower)
            {
                asked++;
            }

            var problem = range.Mode switch
            {
                RangeMode.Skip => Skipped(range, asked),
                RangeMode.Deferred => Deferred(range, asked, answer),
                RangeMode.Fingerprint => Within(range, asked, listAllowed: true) ?? Compared(range, indices[i], indices[i + 1], dense[i], differs[i], answer),
                RangeMode.IdList => Within(range, asked, listAllowed: false) ?? Listed(reply, range, indices[i], indices[i + 1], answer),
                RangeMode.IdDiff => Streamed(range, asked) ?? Diffed(reply, range, _asked[asked], answer),
                _ => Exactly(range, asked, AskKind.Request) ?? Sent(reply, range, _asked[asked], answer),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    // Indices of every range's bounds in this set; for each fingerprint range whether it differs here, and whether
    // the run of fingerprint ranges it is in is dense (Splitting.Dense).
    private bool[] Runs(ParsedMessage reply, int[] indices, out bool[] differs)
    {
        var ranges = reply.Ranges;
        var dense = new bool[ranges.Count];
        differs = new bool[ranges.Count];
        for (var i = 0; i < ranges.Count; i++)
        {
            indices[i + 1] = ranges[i].Upper.IndexIn(_set, indices[i]);
            if (ranges[i].Mode == RangeMode.Fingerprint)
            {
                differs[i] = !_set.Fingerprint(indices[i], indices[i + 1]).StartsWith(reply.FingerprintOf(ranges[i]));
            }
        }

        for (var first = 0; first < ranges.Count;)
        {
            var end = first + 1;
            var mismatches = differs[first] ? 1 : 0;
            while (ranges[first].Mode == RangeMode.Fingerprint && end < ranges.Count && ranges[end].Mode == RangeMode.Fingerprint)
            {
                mismatches += differs[end++] ? 1 : 0;
            }

            Array.Fill(dense, Splitting.Dense(end - first, mismatches), first, end - first);
            first = end;
        }

        return dense;
    }

    // A skip settles fingerprints; an id list or a request must be answered.
    private ReconcileResult? Skipped(in WireRange range, int asked)
    {
        for (var a = asked; a < _asked.Count && _asked[a].Lower < range.Upper; a++)
        {
            if (_asked[a].Kind != AskKind.Fingerprint)
            {
                return Unexpected($"range {range.Lower}..{range.Upper} is skipped, but an id {(_asked[a].Kind == AskKind.List ? "list" : "request")} was sent there");
            }
        }

        return null;
    }

    // Not answered this round: every ask within it is sent again. A deferral must not cut an ask in two.
    private ReconcileResult? Deferred(in WireRange range, int asked, Answer answer)
    {
        for (var a = asked; a < _asked.Count && _asked[a].Lower < range.Upper; a++)
        {
            if (_asked[a].Lower < range.Lower || _asked[a].Upper > range.Upper)
            {
                return Unexpected($"the deferral of {range.Lower}..{range.Upper} cuts the range {_asked[a].Lower}..{_asked[a].Upper} asked about");
            }

            answer.Requeued.Add(_asked[a]);
        }

        return null;
    }

    // A fingerprint or id list from the responder lies within what was asked: within a fingerprint (it split or
    // listed its side), or, for a fingerprint, within a list (it had too many keys there to send, and split).
    private ReconcileResult? Within(in WireRange range, int asked, bool listAllowed) =>
        asked < _asked.Count && _asked[asked].Lower <= range.Lower && range.Upper <= _asked[asked].Upper &&
        (_asked[asked].Kind == AskKind.Fingerprint || (listAllowed && _asked[asked].Kind == AskKind.List))
            ? null
            : Unexpected($"the responder sent a {(listAllowed ? "fingerprint" : "id list")} for {range.Lower}..{range.Upper}, which no query range it may split covers");

    // An id diff answers an id list exactly; or, when the list was empty, the first part of its range, the rest
    // following as a fingerprint (the responder streams a range this side lacks).
    private ReconcileResult? Streamed(in WireRange range, int asked) =>
        asked < _asked.Count && _asked[asked].Kind == AskKind.List && _asked[asked].Lower == range.Lower &&
        (_asked[asked].Upper == range.Upper || (_asked[asked].Start == _asked[asked].End && range.Upper < _asked[asked].Upper))
            ? null
            : Unexpected($"the responder answered {range.Lower}..{range.Upper} as if it had been sent an id list there, and it was not");

    private ReconcileResult? Exactly(in WireRange range, int asked, AskKind kind) =>
        asked < _asked.Count && _asked[asked].Lower == range.Lower && _asked[asked].Upper == range.Upper && _asked[asked].Kind == kind
            ? null
            : Unexpected($"the responder answered {range.Lower}..{range.Upper} as if it had been sent an id {(kind == AskKind.List ? "list" : "request")} there, and it was not");

    private ReconcileResult? Compared(in WireRange range, int start, int end, bool dense, bool differs, Answer answer)
    {
        if (differs)
        {
            Differ(range.Lower, range.Upper, start, end, dense, answer.Fresh);
        }

        return null;
    }

    // The responder's keys in a range as prefixes: mine not listed are have; its entries none of mine match are
    // requested in full, or, if there are none, the range is checked now against its fingerprint.
    private ReconcileResult? Listed(ParsedMessage reply, in WireRange range, int start, int end, Answer answer)
    {
        if (end - start > _options.MaxIdsPerList)
        {
            Differ(range.Lower, range.Upper, start, end, dense: false, answer.Fresh); // too many here to match: narrow down
            return null;
        }

        var bitmap = new byte[Wire.BitmapLength(range.Count)];
        var missing = new List<int>();
        var wanted = _matcher.Match(reply.Bytes.Span[range.Data..], range.Count, range.PrefixLength, _set, start, end, bitmap, missing);
        var kept = _set.Sum(start, end);
        foreach (var index in missing)
        {
            answer.Have.Add(_set.Keys[index]);
            kept = kept.Subtract(_set.Keys[index]);
        }

        var keptCount = end - start - missing.Count;
        var fingerprint = reply.FingerprintOf(range);
        if (wanted == 0)
        {
            return Check(kept.ToFingerprint(keptCount), fingerprint, range.PrefixLength, range, start, end, answer);
        }

        var requested = new IdPrefix[wanted];
        for (int i = 0, next = 0; i < range.Count; i++)
        {
            if (Wire.Bit(bitmap, i))
            {
                requested[next++] = IdPrefix.Read(reply.EntryOf(range, i));
            }
        }

        var context = new RequestContext(range.Count, bitmap, requested, range.PrefixLength, fingerprint.ToArray(), kept, keptCount);
        answer.Fresh.Add(new Ask(range.Lower, range.Upper, AskKind.Request, start, end) { Request = context });
        return null;
    }

    // The answer to my id list: the entries it lacks are have, the keys it sends are need; together with my other keys
    // there they must make its fingerprint.
    private ReconcileResult? Diffed(ParsedMessage reply, in WireRange range, in Ask ask, Answer answer)
    {
        if (range.Count != ask.End - ask.Start)
        {
            return Unexpected($"the id diff for {range.Lower}..{range.Upper} answers a list of {range.Count} ids; {ask.End - ask.Start} were sent");
        }

        var sum = _set.Sum(ask.Start, ask.End);
        var count = ask.End - ask.Start;
        var bitmap = reply.BitmapOf(range);
        for (var i = 0; i < range.Count; i++)
        {
            if (Wire.Bit(bitmap, i))
            {
                var key = _set.Keys[ask.Start + i];
                answer.Have.Add(key);
                sum = sum.Subtract(key);
                count--;
            }
        }

        if (Needed(reply, range, ref sum, ref count, answer, prefixes: null) is { } problem)
        {
            return problem;
        }

        return Check(sum.ToFingerprint(count), reply.FingerprintOf(range), ask.PrefixLength, range, ask.Start, ask.End, answer);
    }

    // The entries of its id list I asked for, in full: each must start with the prefix asked for.
    private ReconcileResult? Sent(ParsedMessage reply, in WireRange range, in Ask ask, Answer answer)
    {
        var request = ask.Request!;
        if (range.KeyCount != request.Requested.Length)
        {
            return Unexpected($"{range.KeyCount} keys came for {range.Lower}..{range.Upper}; {request.Requested.Length} were asked for");
        }

        var sum = request.KeptSum;
        var count = request.KeptCount;
        return Needed(reply, range, ref sum, ref count, answer, request)
            ?? Check(sum.ToFingerprint(count), request.Fingerprint, request.PrefixLength, range, ask.Start, ask.End, answer);
    }

    // Keys the responder sent in full: this side must not have them (and, answering a request, each must be the entry asked for).
    private ReconcileResult? Needed(ParsedMessage reply, in WireRange range, ref IdSum sum, ref int count, Answer answer, RequestContext? prefixes)
    {
        for (var i = 0; i < range.KeyCount; i++)
        {
            var key = reply.Keys[range.KeysStart + i];
            if (_set.Contains(key))
            {
                return ReconcileResult.Refuse(ReconcileError.BadKey, Text($"the responder sent in full key {i} of {range.Lower}..{range.Upper}, which this side has"));
            }

            if (prefixes is not null && IdPrefix.Of(key, prefixes.PrefixLength) != prefixes.Requested[i])
            {
                return ReconcileResult.Refuse(ReconcileError.BadKey, Text($"key {i} sent for {range.Lower}..{range.Upper} is not the entry asked for"));
            }

            answer.Need.Add(key);
            sum = sum.Add(key);
            count++;
        }

        return null;
    }

    // What the range now holds at the responder, by this side's reckoning, against its fingerprint there. A mismatch
    // after prefixes means two different ids shared a prefix: the range is listed again with whole ids. After whole
    // ids nothing can hide, so a mismatch means the responder's answers are wrong.
    private ReconcileResult? Check(SyncFingerprint reckoned, ReadOnlySpan<byte> theirs, int prefixLength, in WireRange range, int start, int end, Answer answer)
    {
        if (reckoned.StartsWith(theirs))
        {
            return null;
        }

        if (prefixLength == SyncKey.IdLength)
        {
            return ReconcileResult.Refuse(ReconcileError.Inconsistent, Text($"the keys exchanged in full for {range.Lower}..{range.Upper} do not make the responder's fingerprint there"));
        }

        Relist(range.Lower, range.Upper, start, end, answer.Fresh);
        return null;
    }

    private static ReconcileResult Unexpected(FormattableString detail) => ReconcileResult.Refuse(ReconcileError.UnexpectedAnswer, Text(detail));
}
