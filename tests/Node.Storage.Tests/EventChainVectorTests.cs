using System.Text;
using Node.Storage.Events;

namespace Node.Storage.Tests;

/// <summary>
/// The chain hash is a format every stored log depends on: these values were computed outside
/// .NET (Python's hashlib over the documented encoding), so an accidental change fails here.
/// </summary>
public sealed class EventChainVectorTests
{
    private const string First = "1350ca566d7a46eb05710f7ce901ceb2dc53845796a02e1ff5c9bd66ece873b5";
    private const string Second = "3c0e22ab7f44415825366eac56aeed0824ffa58762c58f801cbb0358cecbc02f";

    [Fact]
    public void The_first_entry_chains_from_the_genesis_hash()
    {
        var hash = EventChain.Hash(EventChain.Genesis, 1, 1_700_000_000_000, "store.created", Encoding.UTF8.GetBytes("""{"from":0,"to":2}"""));

        Assert.Equal(First, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Each_entry_chains_from_the_one_before()
    {
        var payload = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var hash = EventChain.Hash(Convert.FromHexString(First), 2, 1_700_000_000_001, "packet.accepted", payload);

        Assert.Equal(Second, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void A_payload_larger_than_the_stack_buffer_hashes_the_same_way()
    {
        var payload = new byte[5000];
        var small = EventChain.Hash(EventChain.Genesis, 7, 1, "k", payload.AsSpan(0, 10));
        var large = EventChain.Hash(EventChain.Genesis, 7, 1, "k", payload);

        Assert.NotEqual(small, large);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(
            [.. new byte[32], 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, (byte)'k', 0, 0, 0x13, 0x88, .. payload]), large);
    }
}
