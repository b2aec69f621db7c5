using System.Text;
using Serilog.Sinks.File;

namespace Node.Daemon.Logging;

/// <summary>
/// Log files that never stop the node: a line that cannot be written — a full disk (ENOSPC), a
/// failing one (EIO) — is dropped and counted, and the first such failure is told on standard
/// error at once. Without it, the file sink's flush on close threw out of the logger's disposal
/// and a node stopping on a full disk aborted (exit 134) instead of exiting cleanly.
/// </summary>
/// <param name="error">Where the failure and the count are told (standard error).</param>
public sealed class LossyLogFiles(TextWriter error) : FileLifecycleHooks
{
    private readonly Lock _gate = new();
    private long _dropped;
    private string? _first;

    /// <summary>How many log lines could not be written (an event whose write or flush failed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding) => new LossyStream(underlyingStream, path, this);

    /// <summary>Tells how many lines were dropped, if any: once, after the logger is disposed.</summary>
    public void ReportDropped()
    {
        if (Dropped > 0)
        {
            Tell($"sovereign-node: {Dropped} log line(s) could not be written and were dropped; the first failure: {_first}.");
        }
    }

    private void Failed(string path, IOException exception, bool lineLost)
    {
        if (lineLost)
        {
            Interlocked.Increment(ref _dropped);
        }

        lock (_gate)
        {
            if (_first is not null)
            {
                return;
            }

            _first = $"{path}: {exception.Message}";
        }

        Tell($"sovereign-node: cannot write the log file {path}: {exception.Message}. Log lines that cannot be written are dropped and counted; the node goes on.");
    }

    private void Tell(string line)
    {
        try
        {
            lock (_gate)
            {
                error.WriteLine(line);
                error.Flush();
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Standard error on the same full disk: nowhere left to tell it.
        }
    }

    /// <summary>
    /// Wraps the file (under Serilog's writer, which flushes after each event): every write,
    /// flush and the close swallow an I/O error, and a flush that fails after a write counts one
    /// dropped line. (A line the file's own buffer kept may still reach the disk once it has room.)
    /// </summary>
    private sealed class LossyStream(Stream inner, string path, LossyLogFiles owner) : Stream
    {
        private bool _wrote;
        private IOException? _failure;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _wrote = true;
            try
            {
                inner.Write(buffer);
            }
            catch (IOException ex)
            {
                _failure ??= ex;
            }
        }

        public override void Flush()
        {
            try
            {
                inner.Flush();
            }
            catch (IOException ex)
            {
                _failure ??= ex;
            }

            if (_failure is not null)
            {
                owner.Failed(path, _failure, lineLost: _wrote);
            }

            (_wrote, _failure) = (false, null);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try
                {
                    // Closes the file even when its last flush fails (FileStream closes in a finally);
                    // what that flush held was counted when its own flush failed.
                    inner.Dispose();
                }
                catch (IOException ex)
                {
                    owner.Failed(path, ex, lineLost: false);
                }
            }

            base.Dispose(disposing);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
