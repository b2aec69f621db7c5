using Node.Daemon.Memory;

namespace Node.Daemon.Tests.Memory;

/// <summary>Kestrel's buffers: reused while busy, let go on a trim, never shared by two renters.</summary>
public sealed class TrimmableMemoryPoolTests
{
    [Fact]
    public void A_rented_block_is_four_kibibytes()
    {
        using var pool = new TrimmableMemoryPool();

        using var block = pool.Rent();

        Assert.Equal(TrimmableMemoryPool.BlockSize, block.Memory.Length);
        Assert.Equal(TrimmableMemoryPool.BlockSize, pool.MaxBufferSize);
    }

    [Fact]
    public void A_returned_block_is_rented_again()
    {
        using var pool = new TrimmableMemoryPool();
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        first.Dispose();

        using var second = pool.Rent();

        Assert.Same(first, second);
        Assert.Equal(0, pool.RetainedBlocks);
    }

    [Fact]
    public void A_trim_lets_go_of_every_retained_block()
    {
        using var pool = new TrimmableMemoryPool();
        var blocks = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());

        Assert.Equal(10, pool.Trim());

        Assert.Equal(0, pool.RetainedBlocks);
        using var fresh = pool.Rent();
        Assert.DoesNotContain(fresh, blocks);
    }

    [Fact]
    public void No_more_than_the_cap_is_retained()
    {
        using var pool = new TrimmableMemoryPool();
        var blocks = Enumerable.Range(0, TrimmableMemoryPool.MaxRetainedBlocks + 10).Select(_ => pool.Rent()).ToList();

        blocks.ForEach(b => b.Dispose());

        Assert.Equal(TrimmableMemoryPool.MaxRetainedBlocks, pool.RetainedBlocks);
    }

    [Fact]
    public void A_block_disposed_twice_is_returned_once()
    {
        using var pool = new TrimmableMemoryPool();
        var block = pool.Rent();

        block.Dispose();
        block.Dispose();

        Assert.Equal(1, pool.RetainedBlocks);
        using var one = pool.Rent();
        using var two = pool.Rent();
        Assert.NotSame(one, two);
    }

    [Fact]
    public void More_than_a_block_is_refused()
    {
        using var pool = new TrimmableMemoryPool();

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(TrimmableMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void A_disposed_pool_rents_nothing_and_keeps_nothing()
    {
        var pool = new TrimmableMemoryPool();
        var block = pool.Rent();
        pool.Dispose();

        block.Dispose();

        Assert.Equal(0, pool.RetainedBlocks);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public void The_factory_trims_every_pool_it_made_and_forgets_the_disposed()
    {
        var factory = new TrimmableMemoryPoolFactory();
        using var one = factory.Create();
        var two = factory.Create();
        one.Rent().Dispose();
        two.Rent().Dispose();
        two.Rent().Dispose(); // the same block again
        two.Dispose();

        Assert.Equal(TrimmableMemoryPool.BlockSize, factory.Trim());
    }
}
