using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Node.Storage.Writing;

/// <summary>
/// The store's single writer. Writes queue up; one thread takes as many as are waiting (up to a
/// batch size), runs each in its own savepoint of one transaction, and commits them together
/// (group commit): one durable commit for the lot. A write's task completes only after its
/// transaction committed. A write that throws is rolled back alone; a commit that fails (a full
/// disk) fails every write of the batch, and the writer goes on with the next.
/// </summary>
/// <remarks>
/// A write callback runs on the writer's own thread and must not wait for another write: that
/// would wait for itself. <see cref="WriteAsync{T}"/> called from inside a callback fails at once
/// with <see cref="InvalidOperationException"/>; do the work in the callback's own
/// <see cref="WriteContext"/> instead. The clock's ceiling rides along with writes
/// (<see cref="RaiseClockCeiling"/>), so the clock never waits for the writer either.
/// </remarks>
public sealed partial class StoreWriter : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly WriterHeartbeat? _heartbeat;
    private readonly int _maxBatch;
    private readonly Channel<WriteRequest> _queue;
    private readonly WriteContext _context;
    private readonly SqliteCommand _begin, _commit, _rollback, _savepoint, _release, _rollbackToSavepoint;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _committedBatches;
    private volatile StoreWriteException? _fault;
    // The clock ceiling as committed, and the highest asked for since (written with the next commit).
    private long _storedCeiling;
    private bool _started;
    private long _wantedCeiling;

    internal StoreWriter(SqliteConnection connection, string path, long headSeq, byte[] headHash, long clockCeiling, TimeProvider time, ILogger logger,
        int maxBatch, WriterHeartbeat? heartbeat)
    {
        _connection = connection;
        _path = path;
        _logger = logger;
        _heartbeat = heartbeat;
        _maxBatch = maxBatch;
        _queue = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(Math.Max(1024, maxBatch * 8))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _context = new WriteContext(connection, time, headSeq, headHash);
        _lastPacketSeq = _context.LastInsertedSeq;
        _begin = Command("BEGIN IMMEDIATE");
        _commit = Command("COMMIT");
        _rollback = Command("ROLLBACK");
        _savepoint = Command("SAVEPOINT write");
        _release = Command("RELEASE write");
        _rollbackToSavepoint = Command("ROLLBACK TO write");
        _storedCeiling = clockCeiling;
        _wantedCeiling = clockCeiling;
        _thread = new Thread(Run) { IsBackground = true, Name = "store-writer" };
    }

    /// <summary>Completes when the writer thread has stopped: after <see cref="DisposeAsync"/>, or when it failed (<see cref="Fault"/>).</summary>
    public Task Completion => _stopped.Task;

    /// <summary>Why the writer stopped on its own, or null while it runs (or after a clean stop).</summary>
    public StoreWriteException? Fault => _fault;

    /// <summary>Raised after every commit (for readers that follow new packets or events).</summary>
    public CommitSignal Committed { get; } = new();

    /// <summary>Raised after a commit that stored a packet (sync tells linked peers the store moved on).</summary>
    public CommitSignal PacketsCommitted { get; } = new();

    /// <summary>The receive sequence of the newest packet committed (0 before the first; read at open). May run ahead of the store by a write that was rolled back.</summary>
    public long LastPacketSeq => Interlocked.Read(ref _lastPacketSeq);

    private long _lastPacketSeq;

    /// <summary>Batches committed since the store opened.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>The hybrid logical clock's ceiling (Unix ms) as committed: what the clock starts from after a restart.</summary>
    public long ClockCeiling => Interlocked.Read(ref _storedCeiling);

    /// <summary>
    /// Asks that the clock's stored ceiling become at least <paramref name="ceiling"/> (Unix ms).
    /// It is written in the same transaction as every write queued after this call — so a packet
    /// stamped by the clock is never durable without the ceiling that covers its timestamp — and
    /// on its own soon after when nothing else is written. Never blocks; callable from any thread,
    /// a write callback included.
    /// </summary>
    public void RaiseClockCeiling(long ceiling)
    {
        var wanted = Interlocked.Read(ref _wantedCeiling);
        while (ceiling > wanted)
        {
            var seen = Interlocked.CompareExchange(ref _wantedCeiling, ceiling, wanted);
            if (seen == wanted)
            {
                // Wakes an idle writer to commit it; a full queue means the writer is busy and will anyway.
                _queue.Writer.TryWrite(CeilingRequest.Instance);
                return;
            }

            wanted = seen;
        }
    }

    /// <summary>
    /// Queues <paramref name="work"/> and completes once its transaction committed, with what it returned.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from inside a write callback (thrown at once, not through the task).</exception>
    /// <exception cref="StoreWriteException">The transaction did not commit (a full disk, an I/O error).</exception>
    /// <exception cref="ObjectDisposedException">The store is closing.</exception>
    public Task<T> WriteAsync<T>(Func<WriteContext, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Thread.CurrentThread == _thread)
        {
            throw new InvalidOperationException(
                "A store write was queued from inside another write's callback, on the store-writer thread: it would wait for itself. " +
                "Do that work with the callback's own WriteContext, or queue it once the outer write has completed.");
        }

        return QueueAsync(work, cancellationToken);
    }

    private async Task<T> QueueAsync<T>(Func<WriteContext, T> work, CancellationToken cancellationToken)
    {
        var request = new WriteRequest<T>(work, cancellationToken);
        try
        {
            await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw _fault is { } fault
                ? new StoreWriteException(fault.Message, fault.IsDiskFull, fault)
                : new ObjectDisposedException(nameof(StoreWriter), "The store is closing; the write was not queued.");
        }

        return await request.Task.ConfigureAwait(false);
    }

    /// <summary>Queues a write that returns nothing.</summary>
    public Task WriteAsync(Action<WriteContext> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync(context =>
        {
            work(context);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own on the calling thread; only while
    /// the store opens, before <see cref="Start"/>.
    /// </summary>
    internal T WriteBeforeStart<T>(Func<WriteContext, T> work)
    {
        if (_started)
        {
            throw new InvalidOperationException("The store writer has started: write through WriteAsync.");
        }

        var request = new WriteRequest<T>(work, CancellationToken.None);
        var done = new List<WriteRequest>(1);
        Commit([request], done);
        return request.Task.GetAwaiter().GetResult(); // completed (or failed) by Commit, on this thread
    }

    /// <summary>Starts the writer thread.</summary>
    internal void Start()
    {
        _started = true;
        _thread.Start();
    }

    /// <summary>Releases a writer that never started (the store failed to open).</summary>
    internal void DisposeUnstarted()
    {
        _queue.Writer.TryComplete();
        _stopped.TrySetResult();
        DisposeCommands();
    }

    /// <summary>Stops taking writes, finishes the queued ones, and stops the thread.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
        DisposeCommands();
    }

    private void DisposeCommands()
    {
        _context.Dispose();
        foreach (var command in (SqliteCommand[])[_begin, _commit, _rollback, _savepoint, _release, _rollbackToSavepoint])
        {
            command.Dispose();
        }
    }

    private void Run()
    {
        var batch = new List<WriteRequest>(_maxBatch);
        var done = new List<WriteRequest>(_maxBatch);
        try
        {
            while (WaitForWork())
            {
                batch.Clear();
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var request))
                {
                    batch.Add(request);
                }

                _heartbeat?.Progress();
                if (batch.Count > 0)
                {
                    Commit(batch, done);
                }

                _heartbeat?.Progress();
            }
        }
        catch (Exception ex)
        {
            // Stopped for good: nothing more is written until the node reopens the store. Every
            // write not acknowledged yet — in the batch at hand or queued — fails with the cause.
            var fault = ex as StoreWriteException ?? new StoreWriteException(
                $"The store writer of {_path} stopped on an unexpected fault ({ex.Message}); writes in flight may or may not be stored. Restart the node.", diskFull: false, ex);
            _fault = fault;
            LogWriterFailed(_logger, _path, ex);
            _queue.Writer.TryComplete(fault);
            foreach (var request in batch)
            {
                request.Fail(fault);
            }

            while (_queue.Reader.TryRead(out var request))
            {
                request.Fail(fault);
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    // Blocks this dedicated thread until a write is queued; false once the queue is closed and empty.
    private bool WaitForWork()
    {
        if (_queue.Reader.TryPeek(out _))
        {
            return true;
        }

        _heartbeat?.Idle();
        var ready = _queue.Reader.WaitToReadAsync();
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    private void Commit(List<WriteRequest> batch, List<WriteRequest> done)
    {
        done.Clear();
        var startSeq = _context.HeadSeq;
        var startHash = _context.HeadHashUnsafe;
        long wantedCeiling;
        try
        {
            _begin.ExecuteNonQuery();
            foreach (var request in batch)
            {
                if (request.IsCancelled)
                {
                    request.Cancel();
                    continue;
                }

                var seq = _context.HeadSeq;
                var hash = _context.HeadHashUnsafe;
                _savepoint.ExecuteNonQuery();
                try
                {
                    request.Run(_context);
                    _release.ExecuteNonQuery();
                    done.Add(request);
                }
                catch (Exception ex) when (!IsStorageFailure(ex))
                {
                    _rollbackToSavepoint.ExecuteNonQuery();
                    _release.ExecuteNonQuery();
                    _context.ResetHead(seq, hash);
                    request.Fail(ex);
                }
            }

            wantedCeiling = Interlocked.Read(ref _wantedCeiling);
            if (wantedCeiling > Interlocked.Read(ref _storedCeiling))
            {
                _context.WriteClockCeiling(wantedCeiling);
            }

            _commit.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 13) // SQLITE_FULL: nothing of the batch is in the file
        {
            TryRollback();
            _context.ResetHead(startSeq, startHash);
            var failure = new StoreWriteException(
                $"The disk holding {_path} is full; {batch.Count} write(s) were not stored. Free space and retry; nothing stored earlier was lost.", diskFull: true, ex);
            LogCommitFailed(_logger, _path, batch.Count, ex.SqliteErrorCode, ex.Message);
            foreach (var request in batch)
            {
                request.Fail(failure);
            }

            return;
        }
        catch (SqliteException ex)
        {
            // An I/O error may strike after the commit record reached the log (a failed fsync):
            // whether the batch is stored is unknown, and the kernel may have dropped pages. The
            // writer stops; the node must reopen the store, whose checks decide what is there.
            LogCommitFailed(_logger, _path, batch.Count, ex.SqliteErrorCode, ex.Message);
            TryRollback();
            throw new StoreWriteException(
                $"Writing to {_path} failed (SQLite error {ex.SqliteErrorCode}: {ex.Message}); {batch.Count} write(s) may or may not be stored, " +
                "and the store takes no more writes until the node restarts.", diskFull: false, ex);
        }

        if (wantedCeiling > Interlocked.Read(ref _storedCeiling))
        {
            Interlocked.Exchange(ref _storedCeiling, wantedCeiling);
        }

        Interlocked.Increment(ref _committedBatches);
        var packetSeq = _context.LastInsertedSeq;
        var packetsMoved = packetSeq > Interlocked.Exchange(ref _lastPacketSeq, packetSeq);
        foreach (var request in done)
        {
            request.Complete();
        }

        Committed.Raise();
        if (packetsMoved)
        {
            PacketsCommitted.Raise();
        }
    }

    private void TryRollback()
    {
        try
        {
            if (!_connection.Handle!.IsInvalid && SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                _rollback.ExecuteNonQuery();
            }
        }
        catch (SqliteException ex)
        {
            LogRollbackFailed(_logger, _path, ex.Message);
        }
    }

    private static bool IsStorageFailure(Exception ex) =>
        ex is SqliteException { SqliteErrorCode: 13 or 10 or 11 or 26 }; // FULL, IOERR, CORRUPT, NOTADB

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Store {Path}: commit of {Count} write(s) failed (SQLite error {Code}: {Reason}); they were not stored.")]
    private static partial void LogCommitFailed(ILogger logger, string path, int count, int code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Store {Path}: rollback after a failed commit failed: {Reason}.")]
    private static partial void LogRollbackFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Store {Path}: the writer stopped on a fault; no more writes will be stored.")]
    private static partial void LogWriterFailed(ILogger logger, string path, Exception exception);
}
