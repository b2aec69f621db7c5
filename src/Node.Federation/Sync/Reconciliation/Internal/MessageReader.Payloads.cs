using System.Globalization;

namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>Payloads: what follows a range's head, by mode.</summary>
internal ref partial struct MessageReader
{
    private WireRange? Payload(ParsedMessage message, WireRange range) => range.Mode switch
    {
        RangeMode.Fingerprint => Fingerprint(message, range),
        RangeMode.IdList => IdList(message, range),
        RangeMode.IdDiff => IdDiff(message, range),
        RangeMode.IdRequest => IdRequest(range),
        RangeMode.Ids => Ids(message, range),
        _ => range,
    };

    private WireRange? Fingerprint(ParsedMessage message, WireRange range)
    {
        var at = _position;
        return Take(message.FingerprintLength, out _) ? range with { Fingerprint = at } : null;
    }

    private WireRange? IdList(ParsedMessage message, WireRange range)
    {
        var fingerprint = -1;
        if (_direction == Direction.Reply)
        {
            fingerprint = _position;
            if (!Take(message.FingerprintLength, out _))
            {
                return null;
            }
        }

        if (!Count(out var count))
        {
            return null;
        }

        if (count == 0)
        {
            return range with { Fingerprint = fingerprint };
        }

        if (!Take(1, out var lengthByte))
        {
            return null;
        }

        int length = lengthByte[0];
        if (length is 0 or > SyncKey.IdLength || (message.Full && length != SyncKey.IdLength))
        {
            return Fail<WireRange>(ReconcileError.BadIdList, message.Full
                ? Text($"an id list at full strength has {length}-byte entries; it must list whole ids")
                : Text($"an id list's entries are {length} bytes; they must be 1 to {SyncKey.IdLength}"));
        }

        var data = _position;
        return Take((long)count * length, out _)
            ? range with { Fingerprint = fingerprint, Count = count, PrefixLength = length, Data = data }
            : null;
    }

    private WireRange? IdDiff(ParsedMessage message, WireRange range)
    {
        if (!Count(out var count) || Bitmap(count, mustHaveBit: false) is not { } data)
        {
            return null;
        }

        var keysStart = message.Keys.Count;
        if (!Keys(message, range, out var keyCount))
        {
            return null;
        }

        var fingerprint = _position;
        return Take(message.FingerprintLength, out _)
            ? range with { Count = count, Data = data, KeysStart = keysStart, KeyCount = keyCount, Fingerprint = fingerprint }
            : null;
    }

    private WireRange? IdRequest(WireRange range) =>
        Count(out var count) && Bitmap(count, mustHaveBit: true) is { } data ? range with { Count = count, Data = data } : null;

    private WireRange? Ids(ParsedMessage message, WireRange range)
    {
        var keysStart = message.Keys.Count;
        return Keys(message, range, out var keyCount) ? range with { KeysStart = keysStart, KeyCount = keyCount } : null;
    }

    private bool Count(out int count)
    {
        count = 0;
        if (!Varint(out var value))
        {
            return false;
        }

        if (value > (ulong)_options.MaxIdsPerList)
        {
            Fail(ReconcileError.ListTooLong, Text($"a list counts {value} ids; the limit is {_options.MaxIdsPerList}"));
            return false;
        }

        count = (int)value;
        return true;
    }

    // A bitmap of `count` bits; the bits past `count` must be zero, and a request must ask for something.
    private int? Bitmap(int count, bool mustHaveBit)
    {
        var at = _position;
        if (!Take(Wire.BitmapLength(count), out var bitmap))
        {
            return null;
        }

        var tail = count % Wire.BitsPerByte;
        if (tail != 0 && bitmap[^1] >> tail != 0)
        {
            return Fail<int>(ReconcileError.BadIdList, Text($"a bitmap of {count} entries has bits set past its end"));
        }

        if (mustHaveBit && !bitmap.ContainsAnyExcept((byte)0))
        {
            return Fail<int>(ReconcileError.BadIdList, "a request asks for no id");
        }

        return at;
    }

    // Keys in full, each after the previous (the first at or above the range's lower bound), all below its upper one.
    private bool Keys(ParsedMessage message, in WireRange range, out int count)
    {
        if (!Count(out count))
        {
            return false;
        }

        if ((long)count * Wire.MinKeyBytes > _bytes.Length - _position)
        {
            Fail(ReconcileError.Truncated, Text($"a list of {count} keys needs more than the {_bytes.Length - _position} bytes left"));
            return false;
        }

        var hlc = range.Lower.Key.Hlc;
        SyncKey? previous = null;
        for (var i = 0; i < count; i++)
        {
            if (!Varint(out var step) || !Take(SyncKey.IdLength, out var id))
            {
                return false;
            }

            hlc += step;
            var key = new SyncKey(hlc, id);
            if (hlc < step || range.Lower.CompareTo(key) > 0 || range.Upper.CompareTo(key) <= 0 || (previous is { } p && key <= p))
            {
                Fail(ReconcileError.BadKey, Text($"key {i} of a list is outside its range or not after the one before it"));
                return false;
            }

            message.Keys.Add(key);
            previous = key;
        }

        return true;
    }
}
