using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Identity;
using Node.Federation.Tests.Support;

namespace Node.Federation.Tests.Identity;

/// <summary>Freshness as a relation: never an exception, and what one manifest is to another, the other is, mirrored, to it.</summary>
public sealed class ManifestBookPropertyTests : IAsyncDisposable
{
    private readonly BookNode _node = new();
    private readonly BookNode.SignedManifest[] _pool;

    public ManifestBookPropertyTests()
    {
        // Two nodes, three instants, two contents each: every relation (newer, same, older, conflicting, another node) occurs.
        var peers = new[] { _node.Identity(1), _node.Identity(2) };
        _pool = [.. from peer in peers
                    from ago in new[] { 0, 1, 2 }
                    from name in new[] { "a", "b" }
                    select _node.Manifest(peer, issuedAgo: TimeSpan.FromMilliseconds(ago), name: name)];
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private ManifestBook Fresh() => new(_node.Store.Store, _ => false, NullLogger<ManifestBook>.Instance);

    private static ManifestFreshness Mirror(ManifestFreshness freshness) => freshness switch
    {
        ManifestFreshness.Newer => ManifestFreshness.Older,
        ManifestFreshness.Older => ManifestFreshness.Newer,
        _ => freshness,
    };

    [Fact]
    public void Check_never_throws_and_is_antisymmetric() =>
        Gen.Int[0, _pool.Length - 1].Select(Gen.Int[0, _pool.Length - 1]).Sample((i, j) =>
        {
            var (a, b) = (_pool[i], _pool[j]);
            var holdingA = Fresh();
            holdingA.Offer(a.Check, a.Envelope);
            var holdingB = Fresh();
            holdingB.Offer(b.Check, b.Envelope);

            var bToA = holdingA.Check(b.Check, b.Envelope);
            var aToB = holdingB.Check(a.Check, a.Envelope);
            return a.Id != b.Id
                ? bToA == ManifestFreshness.Newer && aToB == ManifestFreshness.Newer
                : aToB == Mirror(bToA) && (i == j) == (bToA == ManifestFreshness.Same);
        }, iter: 300);

    [Fact]
    public void Offers_in_any_order_end_on_the_newest_and_never_throw() =>
        Gen.Int[0, _pool.Length - 1].Array[1, 30].Sample(order =>
        {
            var book = Fresh();
            foreach (var i in order)
            {
                var outcome = book.Offer(_pool[i].Check, _pool[i].Envelope);
                if (outcome is ManifestFreshness.Retired)
                {
                    return false;
                }
            }

            // For each node offered, the one held is issued no earlier than any offered.
            return order.Select(i => _pool[i]).GroupBy(m => m.Id).All(g =>
                book.TryGet(g.Key, out var held) && held.Manifest.IssuedAt == g.Max(m => m.Check.Manifest!.IssuedAt));
        }, iter: 300);
}
