using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Node.Federation.Identity;
using Node.Federation.PeerLink.Server;

namespace Node.Federation.Tests.PeerLink;

/// <summary>The listener's index of verified manifests: the newest per node wins, and a call finds its caller by certificate.</summary>
public sealed class PeerManifestIndexTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void An_older_manifest_is_refused_and_the_same_one_is_accepted()
    {
        using var peer = NodeIdentity.CreateEphemeral();
        var index = new PeerManifestIndex(_time);
        var older = Sign(peer, Certificate(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        var newer = Sign(peer, Certificate(2));

        Assert.Equal(ManifestFreshness.Newer, Offer(index, newer));
        Assert.Equal(ManifestFreshness.Same, Offer(index, newer));
        Assert.Equal(ManifestFreshness.Older, Offer(index, older));
        Assert.True(index.TryResolve(Certificate(2), out var caller));
        Assert.Equal(peer.Id, caller);
        Assert.False(index.TryResolve(Certificate(1), out _));
    }

    [Fact]
    public void Equal_issued_at_with_other_bytes_is_conflicting()
    {
        using var peer = NodeIdentity.CreateEphemeral();
        var index = new PeerManifestIndex(_time);

        Assert.Equal(ManifestFreshness.Newer, Offer(index, Sign(peer, Certificate(1))));
        Assert.Equal(ManifestFreshness.Conflicting, Offer(index, Sign(peer, Certificate(2))));
        Assert.True(index.TryResolve(Certificate(1), out _));
    }

    [Fact]
    public void A_manifest_past_its_expiry_no_longer_names_a_caller()
    {
        using var peer = NodeIdentity.CreateEphemeral();
        var index = new PeerManifestIndex(_time);
        Offer(index, Sign(peer, Certificate(1)));

        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMilliseconds(1));

        Assert.False(index.TryResolve(Certificate(1), out _));
    }

    [Fact]
    public void The_index_is_bounded_and_forgets_the_node_heard_from_longest_ago()
    {
        var index = new PeerManifestIndex(_time);
        var first = NodeIdentity.CreateEphemeral();
        Offer(index, Sign(first, Certificate(0)));
        for (var i = 1; i <= PeerManifestIndex.Capacity; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            using var node = NodeIdentity.CreateEphemeral();
            Offer(index, Sign(node, Certificate(i)));
        }

        Assert.False(index.TryResolve(Certificate(0), out _));
        Assert.True(index.TryResolve(Certificate(PeerManifestIndex.Capacity), out _));
        first.Dispose();
    }

    [Fact]
    public void Resolving_garbage_never_throws_and_finds_nobody() =>
        Gen.Byte.Array[0, 40].Sample(bytes => !new PeerManifestIndex(_time).TryResolve(bytes, out _));

    private static byte[] Certificate(int n)
    {
        var hash = new byte[32];
        BitConverter.TryWriteBytes(hash, n);
        return hash;
    }

    private byte[] Sign(NodeIdentity node, byte[] certificate) =>
        PeerManifests.Sign(node, new ManifestInfo("n", [], 8102, [], "0", certificate), _time, TimeSpan.FromDays(1));

    private ManifestFreshness Offer(PeerManifestIndex index, byte[] envelope) => index.Offer(PeerManifests.Verify(envelope, _time), envelope);
}
