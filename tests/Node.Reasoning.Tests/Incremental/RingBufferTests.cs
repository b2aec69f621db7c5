using Node.Reasoning.Incremental;

namespace Node.Reasoning.Tests.Incremental;

public sealed class RingBufferTests
{
    [Fact]
    public void Keeps_the_newest_values_and_hands_back_the_one_it_drops()
    {
        var ring = new RingBuffer(3);
        Assert.True(double.IsNaN(ring.Push(1)));
        ring.Push(2);
        ring.Push(3);
        Assert.Equal(1, ring.Push(4));

        Assert.Equal(4, ring[0]);
        Assert.Equal(2, ring[2]);
        var copy = new double[3];
        Assert.Equal(3, ring.CopyTo(copy));
        Assert.Equal([2.0, 3, 4], copy);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring[3]);
    }
}
