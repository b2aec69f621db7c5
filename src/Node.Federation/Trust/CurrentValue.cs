namespace Node.Federation.Trust;

/// <summary>
/// The current value of a (topic, key) slot, chosen the same way on every node whatever order the
/// packets arrived in (ARCHITECTURE.md, "Knowledge packets"):
/// <list type="number">
/// <item>a packet superseded by another packet of the slot is out (so is anything a retraction supersedes);</item>
/// <item>of the rest, the higher trust tier of the author wins, then the later HLC timestamp, then the larger id (bytewise);</item>
/// <item>when the winner is a retraction, the slot has no current value.</item>
/// </list>
/// Packets left out are kept — nothing is lost — and more than one remaining is a contradiction
/// (<see cref="SlotResolution.Contenders"/>) for Aletheia to report.
/// </summary>
public static class CurrentValue
{
    /// <summary>Resolves a slot.</summary>
    public static SlotResolution Resolve(IEnumerable<SlotCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var all = candidates.ToList();
        var superseded = new HashSet<string>(all.SelectMany(c => c.Supersedes).Select(Convert.ToHexString), StringComparer.Ordinal);
        var standing = all.Where(c => !superseded.Contains(Convert.ToHexString(c.Id))).ToList();
        standing.Sort(Compare);
        if (standing.Count == 0)
        {
            return new SlotResolution(null, false, []);
        }

        var winner = standing[0];
        return new SlotResolution(winner.IsRetraction ? null : winner, winner.IsRetraction, standing);
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
/// <param name="Retracted">Whether the winning packet is a retraction.</param>
/// <param name="Contenders">Every packet not superseded, best first; two or more is a contradiction.</param>
public sealed record SlotResolution(SlotCandidate? Current, bool Retracted, IReadOnlyList<SlotCandidate> Contenders)
{
    /// <summary>Whether packets not superseding one another disagree over the slot.</summary>
    public bool IsContradiction => Contenders.Count > 1;
}
