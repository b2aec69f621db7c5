namespace Node.Federation.Trust;

/// <summary>
/// The current value of a (topic, key) slot, chosen the same way on every node whatever order the
/// packets arrived in (ARCHITECTURE.md, "Knowledge packets"):
/// <list type="number">
/// <item>a packet is out when another packet of the slot supersedes it — a retraction included —
/// provided the superseding author's tier is at least the superseded author's (a sandbox peer
/// cannot retract what a core peer said);</item>
/// <item>retractions only remove what they supersede: they are never a value themselves;</item>
/// <item>of the packets left, the higher trust tier of the author wins, then the later HLC
/// timestamp, then the larger id (bytewise).</item>
/// </list>
/// Packets left out are kept — nothing is lost — and more than one left is a contradiction
/// (<see cref="SlotResolution.Contenders"/>) for Aletheia to report.
/// </summary>
public static class CurrentValue
{
    /// <summary>Resolves a slot.</summary>
    public static SlotResolution Resolve(IEnumerable<SlotCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        // The same packet offered twice is one packet, not a contradiction.
        var all = candidates.DistinctBy(c => Convert.ToHexString(c.Id), StringComparer.Ordinal).ToList();
        var byId = all.GroupBy(c => Convert.ToHexString(c.Id), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var superseded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in all)
        {
            foreach (var target in candidate.Supersedes.Select(Convert.ToHexString))
            {
                if (byId.TryGetValue(target, out var replaced) && candidate.AuthorTier >= replaced.AuthorTier)
                {
                    superseded.Add(target);
                }
            }
        }

        var standing = all.Where(c => !superseded.Contains(Convert.ToHexString(c.Id))).ToList();
        var contenders = standing.Where(c => !c.IsRetraction).ToList();
        contenders.Sort(Compare);
        var retracted = contenders.Count == 0 && all.Any(c => c.IsRetraction);
        return new SlotResolution(contenders.Count > 0 ? contenders[0] : null, retracted, contenders);
    }

    // Best first: higher tier, later HLC, larger id.
    private static int Compare(SlotCandidate a, SlotCandidate b)
    {
        var byTier = b.AuthorTier.CompareTo(a.AuthorTier);
        if (byTier != 0)
        {
            return byTier;
        }

        var byTime = b.Hlc.CompareTo(a.Hlc);
        return byTime != 0 ? byTime : b.Id.AsSpan().SequenceCompareTo(a.Id);
    }
}

/// <summary>A resolved slot.</summary>
/// <param name="Current">The current value, or null when the slot is empty or retracted.</param>
/// <param name="Retracted">Whether the slot is empty because retractions removed what it held.</param>
/// <param name="Contenders">Every value packet not superseded, best first; two or more is a contradiction.</param>
public sealed record SlotResolution(SlotCandidate? Current, bool Retracted, IReadOnlyList<SlotCandidate> Contenders)
{
    /// <summary>Whether packets not superseding one another disagree over the slot.</summary>
    public bool IsContradiction => Contenders.Count > 1;
}
