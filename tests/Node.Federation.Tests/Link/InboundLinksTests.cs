using Microsoft.Extensions.Time.Testing;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Link.Server;
using Node.Protocol.Peer;

namespace Node.Federation.Tests.Link;

/// <summary>The inbound streams by peer: the newest of a peer's streams, its last once ended, and the wait for its end.</summary>
public sealed class InboundLinksTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    private static NodeId Peer(byte seed) => NodeId.FromPublicKey(Enumerable.Repeat(seed, 32).ToArray());

    [Fact]
    public void Latest_is_the_stream_of_that_peer_that_beat_last_and_none_once_all_ended()
    {
        var links = new InboundLinks(_time);
        var (a, b) = (Peer(1), Peer(2));
        using var first = links.Open(a);
        _time.Advance(TimeSpan.FromSeconds(1));
        using var second = links.Open(a);
        using var other = links.Open(b);
        _time.Advance(TimeSpan.FromSeconds(1));
        first.Heard(new Beat { Seq = 1 });

        Assert.Equal(Start.AddSeconds(2), links.Latest(a)?.LastBeatAt);
        Assert.Equal(1, links.Latest(a)?.Beats);
        Assert.Equal(Start.AddSeconds(1), links.Latest(b)?.OpenedAt);
        Assert.Equal(3, links.List().Count);

        first.Dispose();
        Assert.Equal(Start.AddSeconds(1), links.Latest(a)?.OpenedAt);
        Assert.Equal(Start.AddSeconds(2), links.LastEnded(a)?.LastBeatAt);
        second.Dispose();
        Assert.Null(links.Latest(a));
        Assert.NotNull(links.Latest(b));
        Assert.Single(links.List());
    }

    [Fact]
    public void WhenEnded_completes_when_a_stream_of_that_peer_ends_and_at_once_when_none_is_open()
    {
        var links = new InboundLinks(_time);
        var (a, b) = (Peer(1), Peer(2));
        Assert.True(links.WhenEnded(a).IsCompleted);

        var streamA = links.Open(a);
        using var streamB = links.Open(b);
        var waiting = links.WhenEnded(a);
        Assert.Same(waiting, links.WhenEnded(a));
        Assert.False(waiting.IsCompleted);

        streamB.Dispose();
        Assert.False(waiting.IsCompleted);
        streamA.Dispose();
        Assert.True(waiting.IsCompletedSuccessfully, "the wait ends with the stream");
        streamA.Dispose();
    }

    [Fact]
    public void PeerLinks_reads_a_peer_linked_by_its_stream_as_connected_then_suspect_once_it_ended()
    {
        var inbound = new InboundLinks(_time);
        var links = new PeerLinks(inbound, new PeerLinkOptions(), _time);
        var peer = Peer(3);
        var stream = inbound.Open(peer);
        stream.Heard(new Beat { Seq = 1 });
        Assert.True(links.HasLiveInbound(peer));
        Assert.Equal(LinkDirection.Inbound, links.Of(peer).Direction);

        stream.Dispose();
        Assert.False(links.HasLiveInbound(peer));
        Assert.Equal(LinkState.Suspect, links.Of(peer).State);
        _time.Advance(new PeerLinkOptions().DownAfter);
        Assert.Equal(LinkState.Down, links.Of(peer).State);
    }
}
