using System.Collections.Concurrent;
using System.Security.Cryptography;
using Node.Federation.Identity;

namespace Node.Federation.PeerLink.Server;

/// <summary>How a verified manifest compares with the newest one seen of the same node.</summary>
public enum ManifestFreshness
{
    /// <summary>Nothing, or something older, was seen of that node: this one is kept.</summary>
    Newer,

    /// <summary>The very manifest seen before (every reconnect sends it again): fine.</summary>
    Same,

    /// <summary>Issued before the newest seen: a replay, refused.</summary>
    Older,

    /// <summary>Issued at the same time as the newest seen, with other bytes: refused.</summary>
    Conflicting,
}

/// <summary>
/// The peers' manifests this node has verified, by node id and by the certificate hash each names:
/// how a call on a TLS connection finds who is calling. Per node only the newest manifest counts
/// (an older or replayed one is refused). Bounded: past <see cref="Capacity"/> nodes the one heard
/// from longest ago is forgotten (it says Hello again). Thread-safe.
/// </summary>
public sealed class PeerManifestIndex(TimeProvider time)
{
    /// <summary>Most nodes remembered.</summary>
    public const int Capacity = 1024;

    private readonly ConcurrentDictionary<NodeId, Known> _byNode = new();
    private readonly ConcurrentDictionary<string, NodeId> _byCertificate = new(StringComparer.Ordinal);
    private readonly Lock _write = new();

    /// <summary>
    /// Records a manifest that <see cref="PeerManifests.Verify"/> found valid, unless an equal or newer
    /// one of that node is held.
    /// </summary>
    /// <returns>How it compares; it is kept only when <see cref="ManifestFreshness.Newer"/>.</returns>
    public ManifestFreshness Offer(ManifestCheck check, ReadOnlySpan<byte> envelope)
    {
        if (!check.IsValid || check.Manifest is not { } manifest)
        {
            throw new ArgumentException("Only a valid manifest can be offered.", nameof(check));
        }

        var hash = SHA256.HashData(envelope);
        lock (_write)
        {
            if (_byNode.TryGetValue(check.NodeId, out var known))
            {
                var freshness = manifest.IssuedAt.CompareTo(known.IssuedAt) switch
                {
                    > 0 => ManifestFreshness.Newer,
                    < 0 => ManifestFreshness.Older,
                    _ => hash.AsSpan().SequenceEqual(known.EnvelopeSha256) ? ManifestFreshness.Same : ManifestFreshness.Conflicting,
                };
                if (freshness == ManifestFreshness.Same)
                {
                    known.Heard = time.GetTimestamp();
                }

                if (freshness != ManifestFreshness.Newer)
                {
                    return freshness;
                }

                _byCertificate.TryRemove(KeyValuePair.Create(known.Certificate, check.NodeId));
            }
            else if (_byNode.Count >= Capacity)
            {
                var oldest = _byNode.MinBy(k => k.Value.Heard);
                _byNode.TryRemove(oldest.Key, out _);
                _byCertificate.TryRemove(KeyValuePair.Create(oldest.Value.Certificate, oldest.Key));
            }

            var certificate = Convert.ToHexStringLower(manifest.TlsCertificateSha256.Span);
            _byNode[check.NodeId] = new Known(manifest.IssuedAt, manifest.ExpiresAt, hash, certificate, envelope.ToArray()) { Heard = time.GetTimestamp() };
            _byCertificate[certificate] = check.NodeId;
            return ManifestFreshness.Newer;
        }
    }

    /// <summary>
    /// The node whose newest manifest names the certificate <paramref name="certificateSha256"/> and is
    /// valid now; false when none does (the caller must say Hello first, or again).
    /// </summary>
    public bool TryResolve(ReadOnlySpan<byte> certificateSha256, out NodeId nodeId)
    {
        if (_byCertificate.TryGetValue(Convert.ToHexStringLower(certificateSha256), out nodeId) &&
            _byNode.TryGetValue(nodeId, out var known) && known.ExpiresAt > time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return true;
        }

        nodeId = default;
        return false;
    }

    /// <summary>The newest verified manifest envelope of <paramref name="nodeId"/>, or null.</summary>
    public byte[]? EnvelopeOf(NodeId nodeId) => _byNode.TryGetValue(nodeId, out var known) ? known.Envelope : null;

    private sealed record Known(long IssuedAt, long ExpiresAt, byte[] EnvelopeSha256, string Certificate, byte[] Envelope)
    {
        public long Heard { get; set; }
    }
}
