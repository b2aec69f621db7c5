using System.Buffers;
using System.Collections.Concurrent;

namespace Node.Daemon.Memory;

/// <summary>
/// Kestrel's buffers: 4 KiB blocks of ordinary managed memory, reused while the server is busy
/// and given back when it is not. Kestrel's own pool keeps every block it ever made, on the pinned
/// heap, and evicts 5% of them every 10 s when idle; the pinned heap is never compacted, so after
/// a burst (10,000 watch streams hold a block each) its holes stay committed for good. This pool
/// keeps at most <see cref="MaxRetainedBlocks"/> returned blocks, and none once
/// <see cref="Trim"/> has been called; the GC compacts and frees the rest. Its blocks need no
/// pinning: socket I/O on Linux copies into them during the system call, not across it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class TrimmableMemoryPool : MemoryPool<byte>
{
    /// <summary>The size of every block: 4 KiB, Kestrel's own.</summary>
    public const int BlockSize = 4096;

    /// <summary>
    /// Returned blocks kept for reuse at most: 8192 (32 MiB), enough that a burst of thousands of
    /// streams reuses its blocks rather than making new ones for the GC to collect.
    /// </summary>
    public const int MaxRetainedBlocks = 8192;

    private readonly ConcurrentQueue<Block> _retained = new();
    private readonly Action<TrimmableMemoryPool>? _disposed;
    private int _retainedCount;
    private volatile bool _isDisposed;

    /// <summary>Makes a pool; <paramref name="disposed"/> is told when it is disposed.</summary>
    public TrimmableMemoryPool(Action<TrimmableMemoryPool>? disposed = null) => _disposed = disposed;

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <summary>Returned blocks the pool holds for reuse now.</summary>
    public int RetainedBlocks => Volatile.Read(ref _retainedCount);

    /// <summary>Rents a block of <see cref="BlockSize"/> bytes; dispose it to return it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minBufferSize"/> is more than <see cref="BlockSize"/>.</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        if (_retained.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retainedCount);
        }
        else
        {
            block = new Block(this);
        }

        block.Lease();
        return block;
    }

    /// <summary>Lets go of every retained block: the next collection frees them.</summary>
    /// <returns>How many blocks were let go.</returns>
    public int Trim()
    {
        var dropped = 0;
        while (_retained.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _retainedCount);
            dropped++;
        }

        return dropped;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_isDisposed)
        {
            return;
        }

        _isDisposed = true;
        Trim();
        _disposed?.Invoke(this);
    }

    // Kept for reuse, or let go when the pool already holds enough or is disposed.
    private void Return(Block block)
    {
        if (!_isDisposed && Interlocked.Increment(ref _retainedCount) <= MaxRetainedBlocks)
        {
            _retained.Enqueue(block);
            return;
        }

        if (!_isDisposed)
        {
            Interlocked.Decrement(ref _retainedCount);
        }
    }

    private sealed class Block(TrimmableMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize);
        private int _leased;

        public Memory<byte> Memory => _array;

        public void Lease() => Volatile.Write(ref _leased, 1);

        // Returned once, however often it is disposed: two renters must never share a block.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _leased, 0) == 1)
            {
                pool.Return(this);
            }
        }
    }
}
