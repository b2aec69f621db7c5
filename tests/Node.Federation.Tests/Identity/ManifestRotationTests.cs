using Node.Federation.Identity;
using Node.Federation.Tests.Support;
using Node.Federation.Trust;

namespace Node.Federation.Tests.Identity;

/// <summary>Key rotations: trust carries to the new id, the old id is retired, competitors are refused and reported, and nothing registers a third node.</summary>
public sealed class ManifestRotationTests : IAsyncDisposable
{
    private readonly BookNode _node = new();

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private ManifestBook Book => _node.Book;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rotation_carries_the_tier_and_retires_the_old_id()
    {
        var (old, next) = (_node.Identity(1), _node.Identity(2));
        await _node.RegisterAsync(old, TrustTier.Core);
        var oldManifest = _node.Manifest(old, issuedAgo: TimeSpan.FromHours(1));
        Book.Offer(oldManifest.Check, oldManifest.Envelope);
        var nextManifest = _node.Manifest(next); // the new id says hello before its rotation is applied: a stranger's, for now
        Book.Offer(nextManifest.Check, nextManifest.Envelope);
        var (check, statement) = _node.Rotation(old, next);

        var result = await Book.RotateAsync(check, statement, Cancel);

        Assert.Equal(RotationOutcome.Recorded, result.Outcome);
        Assert.Equal([(next.Id, TrustTier.Core), (old.Id, TrustTier.Unknown)], result.TierChanges);
        Assert.Equal(TrustTier.Core, _node.TierOf(next.Id));
        Assert.Equal(TrustTier.Unknown, _node.TierOf(old.Id));
        Assert.True(Book.IsRetired(old.Id, out var successor));
        Assert.Equal(next.Id, successor);
        Assert.False(Book.IsRetired(next.Id, out _));
        Assert.Equal(ManifestFreshness.Retired, Book.Check(oldManifest.Check, oldManifest.Envelope));
        Assert.Equal(ManifestFreshness.Retired, Book.Offer(oldManifest.Check, oldManifest.Envelope));
        Assert.False(Book.TryGet(old.Id, out _));
        Assert.True(Book.TryResolveCertificate(nextManifest.Certificate, out var caller), "the new id keeps the certificate");
        Assert.Equal(next.Id, caller);

        var (kind, payload) = _node.Store.PeerEvents()[^1];
        Assert.Equal("peer.rotated", kind);
        Assert.Equal($$"""{"old":"{{old.Id}}","new":"{{next.Id}}","tier":"core"}""", payload.GetRawText());

        // The new id's manifest, held as a stranger's, is kept and persisted now that it is registered.
        await Book.FlushAsync();
        using (var reader = _node.Store.Store.OpenReader())
        {
            Assert.Equal([next.Id.ToString()], reader.PeerManifests.Manifests().Select(m => m.NodeId));
            Assert.Equal(statement, reader.PeerManifests.Rotation(old.Id.ToString())!.Statement);
        }

        // Every Hello carries the statement again: nothing more happens, before or after a restart.
        var events = _node.Store.Events().Count;
        Assert.Equal(RotationOutcome.Known, (await Book.RotateAsync(check, statement, Cancel)).Outcome);
        var reopened = _node.Reopen();
        Assert.True(reopened.IsRetired(old.Id, out _));
        Assert.Equal(ManifestFreshness.Retired, reopened.Check(oldManifest.Check, oldManifest.Envelope));
        Assert.Equal(RotationOutcome.Known, (await reopened.RotateAsync(check, statement, Cancel)).Outcome);
        Assert.Equal(events, _node.Store.Events().Count);
    }

    [Fact]
    public async Task A_new_id_registered_already_keeps_a_higher_tier_of_its_own()
    {
        var (old, next) = (_node.Identity(1), _node.Identity(2));
        await _node.RegisterAsync(old, TrustTier.External);
        await _node.RegisterAsync(next, TrustTier.Sandbox);
        var (check, statement) = _node.Rotation(old, next);

        var result = await Book.RotateAsync(check, statement, Cancel);

        Assert.Equal(RotationOutcome.Recorded, result.Outcome);
        Assert.Equal(TrustTier.Sandbox, _node.TierOf(next.Id));
    }

    [Fact]
    public async Task A_competing_rotation_is_refused_and_reported()
    {
        var (old, genuine, rival) = (_node.Identity(1), _node.Identity(2), _node.Identity(3));
        await _node.RegisterAsync(old, TrustTier.Core);
        var (first, firstStatement) = _node.Rotation(old, genuine);
        Assert.Equal(RotationOutcome.Recorded, (await Book.RotateAsync(first, firstStatement, Cancel)).Outcome);
        var (competing, competingStatement) = _node.Rotation(old, rival);

        var result = await Book.RotateAsync(competing, competingStatement, Cancel);

        Assert.Equal(RotationOutcome.Conflicting, result.Outcome);
        Assert.Equal([(genuine.Id, TrustTier.Unknown)], result.TierChanges);
        Assert.Equal(TrustTier.Unknown, _node.TierOf(genuine.Id));
        Assert.Null(_node.TierOf(rival.Id));
        Assert.True(Book.IsRetired(old.Id, out var successor));
        Assert.Equal(genuine.Id, successor);
        var (kind, payload) = _node.Store.PeerEvents()[^1];
        Assert.Equal("peer.rotation_conflict", kind);
        Assert.Equal($$"""{"old":"{{old.Id}}","recorded":"{{genuine.Id}}","competing":"{{rival.Id}}","demoted":"{{genuine.Id}}","from":"core"}""", payload.GetRawText());
        Assert.Contains(_node.Logger.Collector.GetSnapshot(), r => r.Message.Contains($"{genuine.Id} is now 'unknown' (was 'core')", StringComparison.Ordinal));

        // The operator decides the first was genuine; the competitor again (or after a restart) changes nothing.
        await _node.Store.Peers.SetTrustAsync(genuine.Id, TrustTier.Core, "checked", "alice", Cancel);
        var events = _node.Store.Events().Count;
        var again = await Book.RotateAsync(competing, competingStatement, Cancel);
        Assert.Equal((RotationOutcome.Conflicting, 0), (again.Outcome, again.TierChanges.Count));
        Assert.Equal(RotationOutcome.Conflicting, (await _node.Reopen().RotateAsync(competing, competingStatement, Cancel)).Outcome);
        Assert.Equal(events, _node.Store.Events().Count);
        Assert.Equal(TrustTier.Core, _node.TierOf(genuine.Id));
    }

    [Fact]
    public async Task A_competitor_demotes_the_id_the_tier_was_carried_to_since()
    {
        var (old, second, third, rival) = (_node.Identity(1), _node.Identity(2), _node.Identity(3), _node.Identity(4));
        await _node.RegisterAsync(old, TrustTier.Sandbox);
        var (a, aStatement) = _node.Rotation(old, second);
        var (b, bStatement) = _node.Rotation(second, third);
        Assert.Equal(RotationOutcome.Recorded, (await Book.RotateAsync(a, aStatement, Cancel)).Outcome);
        Assert.Equal(RotationOutcome.Recorded, (await Book.RotateAsync(b, bStatement, Cancel)).Outcome);
        Assert.Equal(TrustTier.Sandbox, _node.TierOf(third.Id));
        var (competing, competingStatement) = _node.Rotation(old, rival);

        var result = await Book.RotateAsync(competing, competingStatement, Cancel);

        Assert.Equal([(third.Id, TrustTier.Unknown)], result.TierChanges);
        Assert.Equal(TrustTier.Unknown, _node.TierOf(third.Id));
    }

    [Fact]
    public async Task A_rotation_back_to_a_retired_id_is_refused()
    {
        var (old, next) = (_node.Identity(1), _node.Identity(2));
        await _node.RegisterAsync(old, TrustTier.Core);
        var (forward, forwardStatement) = _node.Rotation(old, next);
        await Book.RotateAsync(forward, forwardStatement, Cancel);
        var (back, backStatement) = _node.Rotation(next, old);

        var result = await Book.RotateAsync(back, backStatement, Cancel);

        Assert.Equal(RotationOutcome.Refused, result.Outcome);
        Assert.Empty(result.TierChanges);
        Assert.Equal(TrustTier.Core, _node.TierOf(next.Id));
    }

    [Fact]
    public async Task Trust_never_propagates()
    {
        // B is our core peer; C is B's core peer, not ours. C says hello and shows a rotation: nothing of it registers C or anyone.
        var (b, c, cNext) = (_node.Identity(1), _node.Identity(2), _node.Identity(3));
        await _node.RegisterAsync(b, TrustTier.Core);
        var before = (_node.Store.Peers.List().Count, _node.Store.Events().Count);
        var cManifest = _node.Manifest(c);
        var (rotation, statement) = _node.Rotation(c, cNext);

        Assert.Equal(ManifestFreshness.Newer, Book.Offer(cManifest.Check, cManifest.Envelope));
        var result = await Book.RotateAsync(rotation, statement, Cancel);
        await Book.FlushAsync();

        Assert.Equal(RotationOutcome.NotRegistered, result.Outcome);
        Assert.Empty(result.TierChanges);
        Assert.False(Book.IsRetired(c.Id, out _));
        Assert.Null(_node.TierOf(c.Id));
        Assert.Null(_node.TierOf(cNext.Id));
        Assert.Equal(before, (_node.Store.Peers.List().Count, _node.Store.Events().Count));
        using var reader = _node.Store.Store.OpenReader();
        Assert.Empty(reader.PeerManifests.Manifests());
        Assert.Empty(reader.PeerManifests.Rotations());
    }

    [Fact]
    public async Task Only_verified_rotations_are_applied()
    {
        var refused = KeyRotations.Verify(new byte[5]);

        await Assert.ThrowsAsync<ArgumentException>(() => Book.RotateAsync(refused, new byte[5], Cancel));
    }
}
