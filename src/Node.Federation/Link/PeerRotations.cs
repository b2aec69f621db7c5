using Google.Protobuf;
using Node.Federation.Identity;
using Node.Federation.Peers;
using Node.Federation.Trust;

namespace Node.Federation.Link;

/// <summary>
/// The rotation statements a peer sends in Hello or HelloReply (docs/protocol.md, "Accepting a key
/// rotation"): read as a chain, and the links of it that carry a tier of ours applied. One rule for
/// both sides of a link.
/// </summary>
public static class PeerRotations
{
    /// <summary>
    /// Reads <paramref name="statements"/> as a chain that leads, oldest first, to <paramref name="end"/>
    /// (the id the peer's manifest names): each must verify and rotate to the next one's old id.
    /// </summary>
    /// <param name="statements">The statements as received.</param>
    /// <param name="end">The id the chain must end at.</param>
    /// <param name="chain">The verified statements, oldest first; empty when there are none.</param>
    /// <param name="problem">Why the chain is refused (<c>rotations[i]: …</c>), or null.</param>
    /// <returns>Whether the chain holds.</returns>
    public static bool TryRead(IReadOnlyList<ByteString> statements, NodeId end, out IReadOnlyList<(RotationCheck Check, ByteString Statement)> chain,
        out string? problem)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var read = new List<(RotationCheck Check, ByteString Statement)>(statements.Count);
        chain = read;
        problem = statements.Count > PeerLimits.MaxRotations ? $"rotations: {statements.Count}; at most {PeerLimits.MaxRotations}" : null;
        if (problem is not null)
        {
            return false;
        }

        var checks = statements.Select(s => KeyRotations.Verify(s.Span)).ToList();
        for (var i = 0; i < checks.Count; i++)
        {
            var check = checks[i];
            if (!check.IsValid)
            {
                problem = $"rotations[{i}]: {check.Detail}";
                return false;
            }

            var next = i + 1 < checks.Count ? checks[i + 1].OldId : end;
            if (check.NewId != next)
            {
                problem = $"rotations[{i}]: rotates {check.OldId} to {check.NewId}, but the next id in the chain is {next}";
                return false;
            }

            read.Add((check, statements[i]));
        }

        return true;
    }

    /// <summary>
    /// Offers each statement of <paramref name="chain"/> to <paramref name="manifests"/> whose old id
    /// holds a tier here (external or above): only a tier is ever carried, and a stranger's chain of
    /// self-made ids must not reach the store. Tier changes are passed to <paramref name="peers"/>.
    /// </summary>
    /// <returns>What became of each statement offered, oldest first.</returns>
    public static async Task<IReadOnlyList<RotationResult>> ApplyAsync(IReadOnlyList<(RotationCheck Check, ByteString Statement)> chain,
        PeerRegistry peers, ManifestBook manifests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(manifests);
        var results = new List<RotationResult>(chain.Count);
        foreach (var (check, statement) in chain)
        {
            if (peers.TierOf(check.OldId) < TrustTier.External)
            {
                continue;
            }

            var result = await manifests.RotateAsync(check, statement.Memory, cancellationToken).ConfigureAwait(false);
            if (result.TierChanges.Count > 0)
            {
                peers.NoteTierChanges(result.TierChanges.Select(c => c.Node));
            }

            results.Add(result);
        }

        return results;
    }
}
