using System.Globalization;

namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>
/// Parses a message from the network and checks its structure before anything acts on it: size, version, header,
/// bounds strictly increasing up to the end of the key space, modes allowed in its direction, every count within its
/// limit and within the bytes left (so nothing is allocated for a count the message cannot hold). Never throws.
/// </summary>
internal ref partial struct MessageReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly Direction _direction;
    private readonly ReconcileOptions _options;
    private int _position;
    private Bound _previous;
    private string? _problem;
    private ReconcileError _error;

    private MessageReader(ReadOnlySpan<byte> bytes, Direction direction, ReconcileOptions options)
    {
        _bytes = bytes;
        _direction = direction;
        _options = options;
        _previous = Bound.Start;
    }

    /// <summary>
    /// Parses <paramref name="bytes"/>; null and the message, or the refusal. <paramref name="expectedFingerprintLength"/>
    /// is the fingerprint length the message must use, or 0 for any allowed one.
    /// </summary>
    public static ReconcileResult? Read(ReadOnlyMemory<byte> bytes, Direction direction, ReconcileOptions options,
        int expectedFingerprintLength, out ParsedMessage? message)
    {
        message = null;
        if (bytes.Length > options.FrameLimit)
        {
            return ReconcileResult.Refuse(ReconcileError.MessageTooLarge, Text($"the message is {bytes.Length} bytes; the frame limit is {options.FrameLimit}"));
        }

        var reader = new MessageReader(bytes.Span, direction, options);
        var parsed = reader.Header(bytes, expectedFingerprintLength);
        if (parsed is not null)
        {
            reader.Ranges(parsed);
        }

        if (reader._error != ReconcileError.None)
        {
            return ReconcileResult.Refuse(reader._error, reader._problem!);
        }

        message = parsed;
        return null;
    }

    private ParsedMessage? Header(ReadOnlyMemory<byte> bytes, int expected)
    {
        if (_bytes.Length > 0 && _bytes[0] != Wire.Version)
        {
            Fail(ReconcileError.UnknownVersion, Text($"the version byte is {_bytes[0]}; this node speaks version {Wire.Version}"));
            return null;
        }

        if (_bytes.Length < Wire.HeaderLength)
        {
            Fail(ReconcileError.Truncated, Text($"the message is {_bytes.Length} bytes, shorter than its {Wire.HeaderLength}-byte header"));
            return null;
        }

        int length = _bytes[1];
        if (length is < ReconcileOptions.MinFingerprintBytes or > SyncFingerprint.Length || (expected != 0 && length != expected))
        {
            Fail(ReconcileError.BadFingerprintLength, expected != 0
                ? Text($"the header's fingerprint length is {length}; this reconciliation uses {expected}")
                : Text($"the header's fingerprint length is {length}; it must be {ReconcileOptions.MinFingerprintBytes} to {SyncFingerprint.Length}"));
            return null;
        }

        _position = Wire.HeaderLength;
        return new ParsedMessage(bytes, length, SyncFingerprint.Read(_bytes[2..Wire.HeaderLength]));
    }

    private void Ranges(ParsedMessage message)
    {
        while (_error == ReconcileError.None)
        {
            if (_position == _bytes.Length)
            {
                Fail(ReconcileError.Truncated, "the message ends before a range reaches the end of the key space");
                return;
            }

            if (message.Ranges.Count == _options.MaxRangesPerMessage)
            {
                Fail(ReconcileError.TooManyRanges, Text($"the message has more than {_options.MaxRangesPerMessage} ranges"));
                return;
            }

            if (Range(message) is not { } range)
            {
                return;
            }

            message.Ranges.Add(range);
            if (range.Upper.IsEnd)
            {
                if (_position != _bytes.Length)
                {
                    Fail(ReconcileError.Truncated, Text($"{_bytes.Length - _position} bytes follow the range that ends the key space"));
                }

                return;
            }
        }
    }

    private WireRange? Range(ParsedMessage message)
    {
        if (!Varint(out var head))
        {
            return null;
        }

        var mode = (RangeMode)(head & Wire.ModeMask);
        if (mode > RangeMode.Deferred)
        {
            return Fail<WireRange>(ReconcileError.UnknownMode, Text($"range {message.Ranges.Count} has mode {(int)mode}, not one of the protocol's"));
        }

        if (!Allowed(mode))
        {
            return Fail<WireRange>(ReconcileError.ModeNotAllowed, Text($"range {message.Ranges.Count} has mode {mode}, which a {_direction.ToString().ToLowerInvariant()} may not carry"));
        }

        if (UpperBound(head >> Wire.ModeBits) is not { } upper)
        {
            return null;
        }

        if (upper <= _previous)
        {
            return Fail<WireRange>(ReconcileError.BoundsOutOfOrder, Text($"range {message.Ranges.Count}'s bound {upper} is not above the previous one, {_previous}"));
        }

        var range = new WireRange(_previous, upper, mode);
        _previous = upper;
        return Payload(message, range);
    }

    private bool Allowed(RangeMode mode) => mode switch
    {
        RangeMode.Skip or RangeMode.Fingerprint or RangeMode.IdList => true,
        RangeMode.IdRequest => _direction == Direction.Query,
        _ => _direction == Direction.Reply,
    };

    private Bound? UpperBound(ulong rest)
    {
        if (rest == 0)
        {
            return Bound.End;
        }

        var fields = rest - 1;
        var hasId = (fields & 1) != 0;
        var shift = (int)((fields >> 1) & Wire.ShiftMask);
        var mantissa = fields >> (Wire.ShiftBits + 1);
        ulong step;
        if (shift == Wire.EscapeShift)
        {
            if (mantissa != 0)
            {
                return Fail<Bound>(ReconcileError.BoundsOutOfOrder, "a bound takes the escape but has a mantissa");
            }

            if (!Varint(out step))
            {
                return null;
            }
        }
        else if (mantissa > ulong.MaxValue >> shift)
        {
            return Fail<Bound>(ReconcileError.BoundsOutOfOrder, "a bound's timestamp step overflows 64 bits");
        }
        else
        {
            step = mantissa << shift;
        }

        var hlc = _previous.Key.Hlc + step;
        if (_previous.IsEnd || hlc < step)
        {
            return Fail<Bound>(ReconcileError.BoundsOutOfOrder, "a bound's timestamp overflows 64 bits");
        }

        if (!hasId)
        {
            return Bound.Of(hlc, []);
        }

        if (!Take(1, out var lengthByte))
        {
            return null;
        }

        int length = lengthByte[0];
        if (length is 0 or > SyncKey.IdLength)
        {
            return Fail<Bound>(ReconcileError.BoundsOutOfOrder, Text($"a bound's id prefix is {length} bytes; it must be 1 to {SyncKey.IdLength}"));
        }

        return Take(length, out var prefix) ? Bound.Of(hlc, prefix) : null;
    }

    private bool Varint(out ulong value)
    {
        var error = Internal.Varint.TryRead(_bytes, ref _position, out value, out var problem);
        if (error != ReconcileError.None)
        {
            Fail(error, problem!);
            return false;
        }

        return true;
    }

    private bool Take(long count, out ReadOnlySpan<byte> bytes)
    {
        if (count > _bytes.Length - _position)
        {
            bytes = default;
            Fail(ReconcileError.Truncated, Text($"a field of {count} bytes runs past the end of the message ({_bytes.Length - _position} left)"));
            return false;
        }

        bytes = _bytes.Slice(_position, (int)count);
        _position += (int)count;
        return true;
    }

    private T? Fail<T>(ReconcileError error, string problem)
        where T : struct
    {
        Fail(error, problem);
        return null;
    }

    private void Fail(ReconcileError error, string problem)
    {
        if (_error == ReconcileError.None)
        {
            _error = error;
            _problem = Text($"at byte {_position}: {problem}");
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
