using Microsoft.Extensions.Logging.Testing;
using Node.Federation.Identity;
using Node.Federation.Trust;

namespace Node.Federation.Tests.Support;

/// <summary>
/// A node's manifest book over a real store on a fake clock, with the registry's view of who is
/// registered read from that store; and the peers it hears from: identities that sign manifests and
/// rotations at chosen moments.
/// </summary>
public sealed class BookNode : IAsyncDisposable
{
    private readonly List<NodeIdentity> _identities = [];

    public BookNode() => Book = OpenBook();

    public PeerStore Store { get; } = new();

    public ManifestBook Book { get; private set; }

    public FakeLogger<ManifestBook> Logger { get; } = new();

    public DateTimeOffset Now => Store.Time.GetUtcNow();

    /// <summary>A new book over the same store, as after a restart.</summary>
    public ManifestBook Reopen() => Book = OpenBook();

    public ManifestBook OpenBook() => new(Store.Store, IsRegistered, Logger);

    public bool IsRegistered(NodeId id)
    {
        using var reader = Store.Store.OpenReader();
        return reader.Peers.TierOf(id.ToString()) is not null;
    }

    /// <summary>A peer's identity, the same for the same seed.</summary>
    public NodeIdentity Identity(int seed)
    {
        var identity = NodeIdentity.FromSeed(Enumerable.Repeat((byte)seed, 32).ToArray());
        _identities.Add(identity);
        return identity;
    }

    /// <summary>Registers <paramref name="peer"/> as mDNS would, then gives it <paramref name="tier"/>.</summary>
    public async Task RegisterAsync(NodeIdentity peer, TrustTier tier = TrustTier.Unknown)
    {
        await Store.Peers.RecordDiscoveredAsync(peer.Id, "peer", ["10.0.0.2:8102"], TestContext.Current.CancellationToken);
        if (tier != TrustTier.Unknown)
        {
            await Store.Peers.SetTrustAsync(peer.Id, tier, "test", "tester", TestContext.Current.CancellationToken);
        }
    }

    public TrustTier? TierOf(NodeId id) => Store.Peers.List().FirstOrDefault(p => p.NodeId == id.ToString())?.Tier;

    /// <summary>The manifest <paramref name="peer"/> signs <paramref name="issuedAgo"/> before now (default: now), naming <paramref name="name"/> and certificate <paramref name="certificate"/>.</summary>
    public SignedManifest Manifest(NodeIdentity peer, TimeSpan issuedAgo = default, string name = "peer", byte certificate = 1)
    {
        var envelope = PeerManifests.Sign(peer, new ManifestInfo(name, ["10.0.0.2"], 8102, [], "0.1.0", Enumerable.Repeat(certificate, 32).ToArray()),
            new At(Now - issuedAgo), TimeSpan.FromDays(7));
        var check = PeerManifests.Verify(envelope, Store.Time);
        Assert.True(check.IsValid, check.Detail);
        return new SignedManifest(check, envelope);
    }

    /// <summary>The statement that <paramref name="from"/> moved to <paramref name="to"/>, verified.</summary>
    public (RotationCheck Check, byte[] Statement) Rotation(NodeIdentity from, NodeIdentity to)
    {
        var statement = KeyRotations.Sign(from, to, Store.Time);
        var check = KeyRotations.Verify(statement);
        Assert.True(check.IsValid, check.Detail);
        return (check, statement);
    }

    public async ValueTask DisposeAsync()
    {
        await Book.FlushAsync();
        await Store.DisposeAsync();
        _identities.ForEach(i => i.Dispose());
    }

    /// <summary>A verified manifest and the bytes it was verified from.</summary>
    public sealed record SignedManifest(ManifestCheck Check, byte[] Envelope)
    {
        public NodeId Id => Check.NodeId;

        public byte[] Certificate => Check.Manifest!.TlsCertificateSha256.ToByteArray();
    }

    private sealed class At(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
