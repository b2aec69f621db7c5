using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Node.Federation.Identity.Internal;
using Node.Storage;

namespace Node.Federation.Identity;

/// <summary>
/// Peers' verified manifests (docs/protocol.md, "Peer link"; docs/design/peer-link.md §4, §8): the
/// newest one of each node (<see cref="Check"/>, <see cref="Offer"/>), which node a TLS certificate
/// belongs to (<see cref="TryResolveCertificate"/>), and key rotations: which ids are retired and to
/// whom (<see cref="IsRetired"/>, <see cref="RotateAsync"/>).
/// </summary>
/// <remarks>
/// <para>
/// Registered peers' manifests are kept and persisted (<c>peer_manifests</c>), loaded again at start, so
/// a manifest older than one seen before a restart is still refused. Manifests of ids not in the
/// registry stay in memory only, the most recent <see cref="StrangerCapacity"/> of them: a Hello from
/// a stranger never reaches the store. Nothing learnt from a manifest or a rotation registers a node
/// (trust never propagates); the only tiers a rotation touches are of peers already registered.
/// </para>
/// <para>
/// Thread-safe: reads (<see cref="Check"/>, <see cref="TryGet"/>, <see cref="TryResolveCertificate"/>,
/// <see cref="IsRetired"/>) take no lock; changes take one short lock; writes to the store go through
/// the store's writer off the caller's path (<see cref="FlushAsync"/> waits for them).
/// </para>
/// </remarks>
public sealed partial class ManifestBook
{
    /// <summary>How many manifests of ids not in the registry are kept (least recently offered evicted first).</summary>
    public const int StrangerCapacity = 256;

    private readonly NodeStore _store;
    private readonly Func<NodeId, bool> _isRegistered;
    private readonly ILogger<ManifestBook> _logger;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<NodeId, KnownManifest> _current = new();
    private readonly ConcurrentDictionary<CertificateKey, NodeId> _byCertificate = new();
    private readonly ConcurrentDictionary<NodeId, NodeId> _retired = new();
    private readonly RecencyList _strangers = new(StrangerCapacity);

    /// <summary>Loads the stored manifests, rotations and retired ids of <paramref name="store"/>.</summary>
    /// <param name="store">The node's store.</param>
    /// <param name="isRegistered">
    /// Whether an id is in the peer registry now (a snapshot lookup: called under the book's lock, so it
    /// must be quick and must not call back into the book). It decides only which manifests are kept
    /// and persisted; the store is asked again before anything is written.
    /// </param>
    /// <param name="logger">Where stored rows that no longer verify, rotations and failed writes are logged.</param>
    public ManifestBook(NodeStore store, Func<NodeId, bool> isRegistered, ILogger<ManifestBook> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(isRegistered);
        ArgumentNullException.ThrowIfNull(logger);
        (_store, _isRegistered, _logger) = (store, isRegistered, logger);
        Load();
    }

    /// <summary>How many manifests are held: registered peers' and strangers'.</summary>
    public int Count => _current.Count;

    /// <summary>How many of them are strangers' (ids not in the registry), at most <see cref="StrangerCapacity"/>.</summary>
    public int StrangerCount
    {
        get
        {
            lock (_gate)
            {
                return _strangers.Count;
            }
        }
    }

    /// <summary>
    /// How <paramref name="verified"/> compares with the newest manifest held for its node; changes
    /// nothing. Issued later (or none held) → newer; the same instant and the same bytes → same; the
    /// same instant and other bytes → conflicting; earlier → older; a retired id → retired.
    /// </summary>
    /// <param name="verified">A manifest <see cref="PeerManifests.Verify"/> found valid.</param>
    /// <param name="envelope">The bytes it was verified from.</param>
    /// <exception cref="ArgumentException"><paramref name="verified"/> is not valid.</exception>
    public ManifestFreshness Check(ManifestCheck verified, ReadOnlySpan<byte> envelope)
    {
        var id = Valid(verified);
        return _retired.ContainsKey(id) ? ManifestFreshness.Retired : Compare(_current.GetValueOrDefault(id), verified.Manifest!.IssuedAt, envelope);
    }

    /// <summary>
    /// Checks <paramref name="verified"/> as <see cref="Check"/> does and keeps it when it is newer:
    /// it becomes its node's current manifest at once (and its certificate resolves to the node).
    /// A registered peer's is then persisted off this path; a stranger's stays in memory. A registered
    /// peer's manifest held but not yet persisted (it was a stranger when it came) is persisted on the
    /// next offer, even the same one.
    /// </summary>
    /// <param name="verified">A manifest <see cref="PeerManifests.Verify"/> found valid.</param>
    /// <param name="envelope">The bytes it was verified from (kept; the caller must not change them).</param>
    /// <exception cref="ArgumentException"><paramref name="verified"/> is not valid.</exception>
    public ManifestFreshness Offer(ManifestCheck verified, ReadOnlyMemory<byte> envelope)
    {
        var id = Valid(verified);
        var issuedAt = verified.Manifest!.IssuedAt;
        var freshness = Check(verified, envelope.Span);
        var candidate = freshness == ManifestFreshness.Newer ? Entry(id, verified, envelope) : null;
        lock (_gate)
        {
            // Another connection may have offered one in between: judge again under the lock.
            freshness = _retired.ContainsKey(id) ? ManifestFreshness.Retired : Compare(_current.GetValueOrDefault(id), issuedAt, envelope.Span);
            if (freshness == ManifestFreshness.Newer)
            {
                Install(candidate ?? Entry(id, verified, envelope));
            }

            if (freshness is ManifestFreshness.Newer or ManifestFreshness.Same)
            {
                Index(_current[id]);
                Keep(id, _isRegistered(id));
            }
        }

        return freshness;
    }

    /// <summary>The current manifest of <paramref name="id"/>, when one is held (a retired id has none).</summary>
    public bool TryGet(NodeId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KnownManifest? manifest) =>
        _current.TryGetValue(id, out manifest);

    /// <summary>
    /// The node whose current manifest names the certificate with SHA-256 <paramref name="certificateSha256"/>:
    /// who is calling on a connection that presented it. False when none does (call <c>Hello</c> first).
    /// </summary>
    public bool TryResolveCertificate(ReadOnlySpan<byte> certificateSha256, out NodeId id)
    {
        id = default;
        if (!CertificateKey.TryCreate(certificateSha256, out var key) || !_byCertificate.TryGetValue(key, out var holder))
        {
            return false;
        }

        // The index and the manifests change under one lock but are read without it: check the pair agrees.
        if (!_current.TryGetValue(holder, out var manifest) || !manifest.CertificateSha256.Span.SequenceEqual(certificateSha256) || _retired.ContainsKey(holder))
        {
            return false;
        }

        id = holder;
        return true;
    }

    /// <summary>Whether <paramref name="id"/> was rotated away, and to which id (its Hellos are refused: "rotated to <paramref name="successor"/>").</summary>
    public bool IsRetired(NodeId id, out NodeId successor) => _retired.TryGetValue(id, out successor);

    /// <summary>Drops what is held in memory of <paramref name="id"/> (after the registry forgot it; the store's row went with it).</summary>
    public void Forget(NodeId id)
    {
        lock (_gate)
        {
            Drop(id);
            _persisted.Remove(id);
        }
    }

    // The rule of freshness, in one place.
    private static ManifestFreshness Compare(KnownManifest? current, long issuedAt, ReadOnlySpan<byte> envelope) => current switch
    {
        null => ManifestFreshness.Newer,
        _ when issuedAt > current.Manifest.IssuedAt => ManifestFreshness.Newer,
        _ when issuedAt < current.Manifest.IssuedAt => ManifestFreshness.Older,
        _ => envelope.SequenceEqual(current.Envelope.Span) ? ManifestFreshness.Same : ManifestFreshness.Conflicting,
    };

    private static NodeId Valid(ManifestCheck verified)
    {
        if (!verified.IsValid || verified.Manifest is null || verified.NodeId.IsEmpty)
        {
            throw new ArgumentException($"Only a verified manifest is offered to the book; this one is {verified.Outcome} ({verified.Detail}).", nameof(verified));
        }

        return verified.NodeId;
    }

    private static KnownManifest Entry(NodeId id, ManifestCheck verified, ReadOnlyMemory<byte> envelope) =>
        new(id, verified.Manifest!, envelope, SHA256.HashData(envelope.Span), verified.Manifest!.TlsCertificateSha256.ToByteArray());

    // Under the lock: makes it the current manifest of its node, moving the certificate index with it.
    private void Install(KnownManifest manifest)
    {
        if (_current.TryGetValue(manifest.NodeId, out var previous))
        {
            Unindex(previous);
        }

        _current[manifest.NodeId] = manifest;
    }

    // Under the lock: its certificate resolves to its node. One certificate named by two live ids
    // happens only when both hold its key (a rotation keeps the certificate): the one that offered
    // its manifest last is the one calling.
    private void Index(KnownManifest manifest)
    {
        if (CertificateKey.TryCreate(manifest.CertificateSha256.Span, out var key))
        {
            _byCertificate[key] = manifest.NodeId;
        }
    }

    // Under the lock: a registered peer's manifest is kept for good and persisted; a stranger's joins the bounded recent list.
    private void Keep(NodeId id, bool registered)
    {
        if (!registered)
        {
            if (_strangers.Touch(id) is { } evicted)
            {
                Drop(evicted);
            }

            return;
        }

        _strangers.Remove(id);
        if (_current.TryGetValue(id, out var manifest) && _persisted.GetValueOrDefault(id, long.MinValue) < manifest.Manifest.IssuedAt)
        {
            MarkDirty(id);
        }
    }

    // Under the lock.
    private void Drop(NodeId id)
    {
        _strangers.Remove(id);
        if (_current.TryRemove(id, out var manifest))
        {
            Unindex(manifest);
        }
    }

    // Under the lock.
    private void Unindex(KnownManifest manifest)
    {
        if (CertificateKey.TryCreate(manifest.CertificateSha256.Span, out var key))
        {
            _byCertificate.TryRemove(new KeyValuePair<CertificateKey, NodeId>(key, manifest.NodeId));
        }
    }
}
