namespace Node.Daemon.Replay;

/// <summary>Reads UTF-8 lines from a stream into one reused buffer; a line longer than the buffer is reported, not read.</summary>
internal sealed class LineReader(Stream stream, int bufferSize = 64 * 1024)
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _skipping;

    /// <summary>The line number of the line last returned (1-based).</summary>
    public long LineNumber { get; private set; }

    /// <summary>
    /// The next line without its terminator in <paramref name="line"/>, valid until the next call. Returns false at the
    /// end. <paramref name="tooLong"/> is set, with an empty line, when the line did not fit the buffer.
    /// </summary>
    public bool TryRead(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var found = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                LineNumber++;
                if (_skipping)
                {
                    _skipping = false;
                    line = default;
                    tooLong = true;
                    return true;
                }

                line = found;
                return true;
            }

            if (_eof)
            {
                if (_start == _end && !_skipping)
                {
                    line = default;
                    return false;
                }

                LineNumber++;
                tooLong = _skipping;
                line = _skipping ? default : _buffer.AsSpan(_start, _end - _start);
                _start = _end;
                _skipping = false;
                return true;
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                // No newline in a whole buffer: drop what is held and skip to the next newline.
                _skipping = true;
                _start = _end = 0;
            }

            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }
}
