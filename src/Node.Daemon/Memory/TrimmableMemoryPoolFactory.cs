using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Node.Daemon.Memory;

/// <summary>
/// Makes Kestrel's memory pools (<see cref="TrimmableMemoryPool"/>) in place of its own, and trims
/// them all at once for the <see cref="MemoryTrimmer"/>. Thread-safe.
/// </summary>
internal sealed class TrimmableMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    private readonly Lock _gate = new();
    private readonly List<TrimmableMemoryPool> _pools = [];

    /// <inheritdoc />
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new TrimmableMemoryPool(Forget);
        lock (_gate)
        {
            _pools.Add(pool);
        }

        return pool;
    }

    /// <summary>Lets go of every block the pools retain.</summary>
    /// <returns>The bytes let go, for the GC to free.</returns>
    public long Trim()
    {
        TrimmableMemoryPool[] pools;
        lock (_gate)
        {
            pools = [.. _pools];
        }

        return pools.Sum(pool => (long)pool.Trim()) * TrimmableMemoryPool.BlockSize;
    }

    private void Forget(TrimmableMemoryPool pool)
    {
        lock (_gate)
        {
            _pools.Remove(pool);
        }
    }
}
