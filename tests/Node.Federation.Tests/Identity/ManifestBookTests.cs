using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Node.Federation.Identity;
using Node.Federation.Tests.Support;
using Node.Federation.Trust;

namespace Node.Federation.Tests.Identity;

/// <summary>Freshness of peers' manifests, the certificate index, and what is kept where: memory for strangers, the store for registered peers.</summary>
public sealed class ManifestBookTests : IAsyncDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly BookNode _node = new();

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private ManifestBook Book => _node.Book;

    private IReadOnlyList<(string NodeId, long IssuedAt)> StoredManifests()
    {
        using var reader = _node.Store.Store.OpenReader();
        return [.. reader.PeerManifests.Manifests().Select(m => (m.NodeId, m.IssuedAt))];
    }

    [Fact]
    public async Task An_older_manifest_is_refused_and_the_same_one_is_accepted()
    {
        var peer = _node.Identity(1);
        await _node.RegisterAsync(peer, TrustTier.Core);
        var (older, newer) = (_node.Manifest(peer, issuedAgo: 2 * Hour), _node.Manifest(peer, issuedAgo: Hour));

        Assert.Equal(ManifestFreshness.Newer, Book.Offer(older.Check, older.Envelope));
        Assert.Equal(ManifestFreshness.Same, Book.Offer(older.Check, older.Envelope));
        Assert.Equal(ManifestFreshness.Newer, Book.Offer(newer.Check, newer.Envelope));
        Assert.Equal(ManifestFreshness.Older, Book.Offer(older.Check, older.Envelope));
        Assert.Equal(ManifestFreshness.Same, Book.Check(newer.Check, newer.Envelope));
        Assert.True(Book.TryGet(peer.Id, out var current));
        Assert.Equal(newer.Envelope, current.Envelope.ToArray());
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(newer.Envelope), current.EnvelopeSha256.ToArray());
        Assert.True(current.IsValidAt(_node.Now));
        Assert.False(current.IsValidAt(_node.Now.AddDays(7)), "expired: issued an hour ago for 7 days");
        Assert.False(current.IsValidAt(_node.Now.AddHours(-2)), "issued beyond the allowed skew ahead of then");

        // Persisted: after a restart the replay is still refused.
        await Book.FlushAsync();
        Assert.Equal([(peer.Id.ToString(), newer.Check.Manifest!.IssuedAt)], StoredManifests());
        var reopened = _node.Reopen();
        Assert.Equal(ManifestFreshness.Older, reopened.Check(older.Check, older.Envelope));
        Assert.Equal(ManifestFreshness.Same, reopened.Offer(newer.Check, newer.Envelope));
        Assert.True(reopened.TryResolveCertificate(newer.Certificate, out var caller));
        Assert.Equal(peer.Id, caller);
    }

    [Fact]
    public async Task Equal_issued_at_with_other_bytes_is_conflicting()
    {
        var peer = _node.Identity(1);
        await _node.RegisterAsync(peer);
        var (first, twin) = (_node.Manifest(peer, name: "kitchen"), _node.Manifest(peer, name: "garage"));
        Assert.Equal(first.Check.Manifest!.IssuedAt, twin.Check.Manifest!.IssuedAt);

        Assert.Equal(ManifestFreshness.Newer, Book.Offer(first.Check, first.Envelope));
        Assert.Equal(ManifestFreshness.Conflicting, Book.Check(twin.Check, twin.Envelope));
        Assert.Equal(ManifestFreshness.Conflicting, Book.Offer(twin.Check, twin.Envelope));

        Assert.True(Book.TryGet(peer.Id, out var current));
        Assert.Equal("kitchen", current.Manifest.Name);
    }

    [Fact]
    public async Task A_certificate_resolves_to_the_node_whose_current_manifest_names_it()
    {
        var peer = _node.Identity(1);
        await _node.RegisterAsync(peer);
        var (before, after) = (_node.Manifest(peer, issuedAgo: Hour, certificate: 1), _node.Manifest(peer, certificate: 2));
        Assert.False(Book.TryResolveCertificate(before.Certificate, out _), "call Hello first");

        Book.Offer(before.Check, before.Envelope);
        Assert.True(Book.TryResolveCertificate(before.Certificate, out var caller));
        Assert.Equal(peer.Id, caller);

        Book.Offer(after.Check, after.Envelope);
        Assert.False(Book.TryResolveCertificate(before.Certificate, out _), "a replaced certificate no longer names anyone");
        Assert.True(Book.TryResolveCertificate(after.Certificate, out caller));
        Assert.Equal(peer.Id, caller);
        Assert.False(Book.TryResolveCertificate(new byte[31], out _));
        Assert.False(Book.TryResolveCertificate(new byte[32], out _));
    }

    [Fact]
    public async Task A_strangers_manifest_stays_in_memory_and_is_persisted_once_the_peer_is_registered()
    {
        var stranger = _node.Identity(1);
        var manifest = _node.Manifest(stranger);

        Assert.Equal(ManifestFreshness.Newer, Book.Offer(manifest.Check, manifest.Envelope));
        await Book.FlushAsync();
        Assert.Empty(StoredManifests());
        Assert.Equal(1, Book.StrangerCount);
        Assert.True(Book.TryResolveCertificate(manifest.Certificate, out _));

        await _node.RegisterAsync(stranger);
        Assert.Equal(ManifestFreshness.Same, Book.Offer(manifest.Check, manifest.Envelope));
        await Book.FlushAsync();
        Assert.Equal([(stranger.Id.ToString(), manifest.Check.Manifest!.IssuedAt)], StoredManifests());
        Assert.Equal(0, Book.StrangerCount);

        // Once written, the same manifest again writes nothing.
        var events = _node.Store.Events().Count;
        Assert.Equal(ManifestFreshness.Same, Book.Offer(manifest.Check, manifest.Envelope));
        await Book.FlushAsync();
        using var reader = _node.Store.Store.OpenReader();
        Assert.Equal(manifest.Check.Manifest.PublicKey.ToByteArray(), Assert.Single(reader.Peers.PublicKeys()).PublicKey);
        Assert.Equal(events, _node.Store.Events().Count);
    }

    [Fact]
    public async Task At_most_256_strangers_are_kept_the_least_recently_offered_go_first()
    {
        var registered = _node.Identity(200);
        await _node.RegisterAsync(registered);
        var own = _node.Manifest(registered);
        Book.Offer(own.Check, own.Envelope);

        var strangers = Enumerable.Range(0, 300).Select(i => NodeIdentity.FromSeed(BitConverter.GetBytes(i).Concat(new byte[28]).ToArray())).ToList();
        try
        {
            var manifests = strangers.Select(s => _node.Manifest(s, certificate: 9)).ToList();
            for (var i = 0; i < 250; i++)
            {
                Book.Offer(manifests[i].Check, manifests[i].Envelope);
            }

            Book.Offer(manifests[0].Check, manifests[0].Envelope); // used again: now the most recent
            for (var i = 250; i < 300; i++)
            {
                Book.Offer(manifests[i].Check, manifests[i].Envelope);
            }

            Assert.Equal(ManifestBook.StrangerCapacity, Book.StrangerCount);
            Assert.Equal(ManifestBook.StrangerCapacity + 1, Book.Count);
            Assert.True(Book.TryGet(manifests[0].Id, out _));
            Assert.All(manifests.Skip(1).Take(44), m => Assert.False(Book.TryGet(m.Id, out _)));
            Assert.All(manifests.Skip(45), m => Assert.True(Book.TryGet(m.Id, out _)));
            Assert.True(Book.TryGet(registered.Id, out _), "a registered peer's manifest is never evicted");
            Assert.True(Book.TryResolveCertificate(manifests[299].Certificate, out var last));
            Assert.Equal(manifests[299].Id, last);

            await Book.FlushAsync();
            Assert.Equal([registered.Id.ToString()], StoredManifests().Select(m => m.NodeId));
        }
        finally
        {
            strangers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Many_connections_at_once_leave_each_peer_with_its_newest_manifest()
    {
        var peers = Enumerable.Range(1, 12).Select(_node.Identity).ToList();
        foreach (var peer in peers)
        {
            await _node.RegisterAsync(peer);
        }

        var offers = peers.SelectMany((p, n) => Enumerable.Range(0, 10).Select(age => _node.Manifest(p, issuedAgo: TimeSpan.FromMinutes(age), certificate: (byte)((n * 10) + age)))).ToList();
        var random = new Random(5);
        var shuffled = offers.OrderBy(_ => random.Next()).ToList();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<ManifestFreshness>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 8), TestContext.Current.CancellationToken, async (worker, _) =>
        {
            await Task.Yield();
            for (var i = worker; i < shuffled.Count * 3; i += 8)
            {
                var offer = shuffled[i % shuffled.Count];
                outcomes.Add(Book.Offer(offer.Check, offer.Envelope));
                Book.TryResolveCertificate(offer.Certificate, out var _);
                Book.TryGet(offer.Id, out var _);
            }
        });

        Assert.DoesNotContain(ManifestFreshness.Conflicting, outcomes);
        // Each peer's first offer is newer, and no manifest is installed twice.
        Assert.InRange(outcomes.Count(o => o == ManifestFreshness.Newer), peers.Count, offers.Count);
        foreach (var peer in peers)
        {
            var newest = offers.Where(o => o.Id == peer.Id).MaxBy(o => o.Check.Manifest!.IssuedAt)!;
            Assert.True(Book.TryGet(peer.Id, out var current));
            Assert.Equal(newest.Envelope, current.Envelope.ToArray());
            Assert.True(Book.TryResolveCertificate(newest.Certificate, out var holder));
            Assert.Equal(peer.Id, holder);
        }

        await Book.FlushAsync();
        Assert.Equal(
            peers.Select(p => (p.Id.ToString(), offers.Where(o => o.Id == p.Id).Max(o => o.Check.Manifest!.IssuedAt))).Order(),
            StoredManifests().Order());
    }

    [Fact]
    public async Task A_stored_manifest_that_no_longer_verifies_is_skipped_with_a_warning()
    {
        var peer = _node.Identity(1);
        await _node.RegisterAsync(peer);
        var manifest = _node.Manifest(peer);
        Book.Offer(manifest.Check, manifest.Envelope);
        await Book.FlushAsync();

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_node.Store.Directory, "node.db")};Pooling=False"))
        {
            connection.Open();
            using var damage = connection.CreateCommand();
            var envelope = manifest.Envelope.ToArray();
            envelope[^1] ^= 1; // the signature's last byte
            damage.CommandText = "UPDATE peer_manifests SET envelope = $envelope";
            damage.Parameters.AddWithValue("$envelope", envelope);
            Assert.Equal(1, damage.ExecuteNonQuery());
        }

        var reopened = _node.Reopen();

        Assert.False(reopened.TryGet(peer.Id, out _));
        Assert.Contains(_node.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains(peer.Id.ToString(), StringComparison.Ordinal));
        Assert.Equal(ManifestFreshness.Newer, reopened.Offer(manifest.Check, manifest.Envelope));
    }

    [Fact]
    public async Task A_forgotten_peer_leaves_the_book_and_the_store()
    {
        var peer = _node.Identity(1);
        await _node.RegisterAsync(peer);
        var manifest = _node.Manifest(peer);
        Book.Offer(manifest.Check, manifest.Envelope);
        await Book.FlushAsync();

        await _node.Store.Peers.ForgetAsync(peer.Id, null, TestContext.Current.CancellationToken);
        Book.Forget(peer.Id);

        Assert.False(Book.TryGet(peer.Id, out _));
        Assert.False(Book.TryResolveCertificate(manifest.Certificate, out _));
        Assert.Empty(StoredManifests());
    }

    [Fact]
    public void Only_verified_manifests_are_offered()
    {
        var refused = PeerManifests.Verify(new byte[10], _node.Store.Time);

        Assert.Throws<ArgumentException>(() => Book.Check(refused, new byte[10]));
        Assert.Throws<ArgumentException>(() => Book.Offer(refused, new byte[10]));
    }
}
