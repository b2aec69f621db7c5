using System.Collections.Concurrent;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Storage;

namespace Node.Federation.Sync;

/// <summary>
/// Authors' public keys, kept in the store (<c>author_keys</c>) and cached: the node's own (and its
/// former ones), and those sync brings beside the packets they sign. A key needs no trust to be
/// learnt — a node id is its key's hash — so a packet relayed from a node never met here verifies.
/// Thread-safe.
/// </summary>
public sealed class AuthorKeys(NodeStore store) : IKeyDirectory
{
    /// <summary>The length of a raw Ed25519 public key.</summary>
    public const int KeyLength = 32;

    private readonly ConcurrentDictionary<NodeId, byte[]> _cache = new();

    /// <inheritdoc />
    public bool TryGetPublicKey(NodeId node, out ReadOnlyMemory<byte> publicKey)
    {
        if (!_cache.TryGetValue(node, out var key))
        {
            using var reader = store.OpenReader();
            key = reader.Sync.AuthorKey(node.ToString());
            if (key is not { Length: KeyLength })
            {
                publicKey = default;
                return false;
            }

            _cache[node] = key;
        }

        publicKey = key;
        return true;
    }

    /// <summary>The key of <paramref name="author"/> (a node id as written), or null when not known.</summary>
    public byte[]? KeyOf(string author) =>
        NodeId.TryParse(author, out var id, out _) && TryGetPublicKey(id, out var key) ? key.ToArray() : null;

    /// <summary>
    /// Learns those of <paramref name="offered"/> that are new, well-formed keys of the packets'
    /// authors (others are ignored: a peer cannot fill the table with keys nobody signed with), and
    /// stores them. <paramref name="authors"/> is asked only when some offered key is new: on the
    /// common path, every key known already, no packet is decoded for it.
    /// </summary>
    /// <returns>How many were new.</returns>
    public async Task<int> LearnAsync(IEnumerable<ReadOnlyMemory<byte>> offered, Func<IReadOnlySet<string>> authors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offered);
        ArgumentNullException.ThrowIfNull(authors);
        var unknown = offered.Where(k => k.Length == KeyLength).Select(k => (Id: NodeId.FromPublicKey(k.Span), Key: k))
            .Where(k => !TryGetPublicKey(k.Id, out _)).ToList();
        if (unknown.Count == 0)
        {
            return 0;
        }

        var signers = authors();
        var learnt = unknown.Where(k => signers.Contains(k.Id.ToString())).Select(k => (Id: k.Id.ToString(), Key: k.Key.ToArray())).ToList();
        if (learnt.Count > 0)
        {
            await store.Writer.WriteAsync(c => learnt.ForEach(k => c.Sync.AddAuthorKey(k.Id, k.Key)), cancellationToken).ConfigureAwait(false);
            foreach (var (id, key) in learnt)
            {
                _cache[NodeId.FromPublicKey(key)] = key;
            }
        }

        return learnt.Count;
    }

    /// <summary>Records one node's own key (a test node's, or the daemon's before its rotations are read).</summary>
    public Task AddOwnKeyAsync(NodeIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var key = identity.PublicKey.ToArray();
        _cache[identity.Id] = key;
        return store.Writer.WriteAsync(c => c.Sync.AddAuthorKey(identity.Id.ToString(), key), cancellationToken);
    }

    /// <summary>Records the node's own key and the keys it rotated from (read from its rotation statements).</summary>
    public async Task AddOwnAsync(IdentityHost identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var keys = new List<byte[]> { identity.Identity.PublicKey.ToArray() };
        foreach (var statement in identity.Rotations)
        {
            if (KeyRotations.Verify(statement) is { IsValid: true, OldPublicKey: { } oldKey, NewPublicKey: { } newKey })
            {
                keys.Add(oldKey);
                keys.Add(newKey);
            }
        }

        await store.Writer.WriteAsync(c => keys.ForEach(k => c.Sync.AddAuthorKey(NodeId.FromPublicKey(k).ToString(), k)), cancellationToken).ConfigureAwait(false);
        foreach (var key in keys)
        {
            _cache[NodeId.FromPublicKey(key)] = key;
        }
    }
}
