using Google.Protobuf;
using Node.Federation.Identity;
using Node.Protocol.Packets;

namespace Node.Federation.Tests;

public sealed class PeerManifestTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly NodeIdentity _node = NodeIdentity.FromSeed(Enumerable.Repeat((byte)3, 32).ToArray());
    private readonly ManifestInfo _info = new("kitchen", ["192.168.1.20"], 8102, ["sync.v1"], "0.1.0", new byte[32]);

    public void Dispose() => _node.Dispose();

    private sealed class At(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void A_signed_manifest_verifies_and_names_its_node()
    {
        var envelope = PeerManifests.Sign(_node, _info, new At(Now), TimeSpan.FromDays(1));

        var check = PeerManifests.Verify(envelope, new At(Now.AddHours(1)));

        Assert.True(check.IsValid, check.Detail);
        Assert.Equal(_node.Id, check.NodeId);
        Assert.Equal("kitchen", check.Manifest!.Name);
        Assert.Equal(8102u, check.Manifest.PeerPort);
    }

    [Theory]
    [InlineData(25, ManifestOutcome.Expired)]
    [InlineData(-1, ManifestOutcome.NotYetValid)]
    public void A_manifest_outside_its_validity_is_refused(int hoursLater, ManifestOutcome expected)
    {
        var envelope = PeerManifests.Sign(_node, _info, new At(Now), TimeSpan.FromDays(1));

        Assert.Equal(expected, PeerManifests.Verify(envelope, new At(Now.AddHours(hoursLater))).Outcome);
    }

    [Fact]
    public void A_manifest_claiming_another_key_is_refused()
    {
        using var other = NodeIdentity.FromSeed(Enumerable.Repeat((byte)4, 32).ToArray());
        var envelope = Envelope.Parser.ParseFrom(PeerManifests.Sign(_node, _info, new At(Now), TimeSpan.FromDays(1)));
        var manifest = PeerManifest.Parser.ParseFrom(envelope.Payload);
        manifest.PublicKey = ByteString.CopyFrom(other.PublicKey);
        envelope.Payload = manifest.ToByteString();

        Assert.Equal(ManifestOutcome.IdMismatch, PeerManifests.Verify(envelope.ToByteArray(), new At(Now)).Outcome);
    }

    [Fact]
    public void A_changed_manifest_no_longer_verifies()
    {
        var envelope = Envelope.Parser.ParseFrom(PeerManifests.Sign(_node, _info, new At(Now), TimeSpan.FromDays(1)));
        var manifest = PeerManifest.Parser.ParseFrom(envelope.Payload);
        manifest.PeerPort = 9999;
        envelope.Payload = manifest.ToByteString();

        Assert.Equal(ManifestOutcome.BadSignature, PeerManifests.Verify(envelope.ToByteArray(), new At(Now)).Outcome);
    }

    [Fact]
    public void Garbage_and_a_packet_envelope_are_refused_without_throwing()
    {
        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            Assert.False(PeerManifests.Verify(bytes, new At(Now)).IsValid);
        }

        var packet = new Envelope { PayloadType = "application/vnd.sovereign.packet.v1+protobuf" }.ToByteArray();
        Assert.Equal(ManifestOutcome.UnknownVersion, PeerManifests.Verify(packet, new At(Now)).Outcome);
        Assert.Equal(ManifestOutcome.Oversize, PeerManifests.Verify(new byte[PeerManifests.MaxEnvelopeBytes + 1], new At(Now)).Outcome);
    }
}

public sealed class PeerManifestEdgeTests : IDisposable
{
    private readonly NodeIdentity _node = NodeIdentity.FromSeed(Enumerable.Repeat((byte)12, 32).ToArray());

    public void Dispose() => _node.Dispose();

    private sealed class At(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private byte[] Signed(long issuedAt, long expiresAt)
    {
        var manifest = new PeerManifest
        {
            NodeId = _node.Id.ToString(),
            PublicKey = ByteString.CopyFrom(_node.PublicKey),
            Name = "edge",
            TlsCertificateSha256 = ByteString.CopyFrom(new byte[32]),
            IssuedAt = issuedAt,
            ExpiresAt = expiresAt,
        };
        return Node.Federation.Packets.Dsse.Seal(PeerManifests.PayloadType, manifest.ToByteArray(), _node).ToByteArray();
    }

    [Theory]
    [InlineData(long.MinValue, long.MaxValue)] // would overflow into "valid forever"
    [InlineData(1_000, 500)]                   // expires before it was issued
    [InlineData(-5, 1_000)]                    // issued before 1970
    public void Crafted_validity_periods_are_refused(long issuedAt, long expiresAt)
    {
        var check = PeerManifests.Verify(Signed(issuedAt, expiresAt), new At(DateTimeOffset.FromUnixTimeMilliseconds(600)));

        Assert.False(check.IsValid);
    }
}
