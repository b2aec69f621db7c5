using Node.Federation.Identity;

namespace Node.Federation.Packets;

/// <summary>Where a verifier finds authors' public keys: the node's own, and those of peers whose manifests verified.</summary>
public interface IKeyDirectory
{
    /// <summary>The raw Ed25519 public key of <paramref name="node"/>, when known.</summary>
    public bool TryGetPublicKey(NodeId node, out ReadOnlyMemory<byte> publicKey);
}
