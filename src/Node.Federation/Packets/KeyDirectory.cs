using System.Collections.Concurrent;
using Node.Federation.Identity;

namespace Node.Federation.Packets;

/// <summary>An in-memory key directory; a key is only accepted for the node id it derives. Thread-safe.</summary>
public sealed class KeyDirectory : IKeyDirectory
{
    private readonly ConcurrentDictionary<NodeId, byte[]> _keys = new();

    /// <summary>Adds <paramref name="publicKey"/>; refuses a key that is not 32 bytes.</summary>
    /// <returns>The node id of the key.</returns>
    public NodeId Add(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32)
        {
            throw new ArgumentException($"An Ed25519 public key is 32 bytes; was {publicKey.Length}.", nameof(publicKey));
        }

        var id = NodeId.FromPublicKey(publicKey);
        _keys[id] = publicKey.ToArray();
        return id;
    }

    /// <inheritdoc />
    public bool TryGetPublicKey(NodeId node, out ReadOnlyMemory<byte> publicKey)
    {
        if (_keys.TryGetValue(node, out var key))
        {
            publicKey = key;
            return true;
        }

        publicKey = default;
        return false;
    }
}
