namespace Node.Reasoning.Memory;

/// <summary>
/// How claims of one kind and direction on one subject turned out: exponentially decayed counts of those that
/// held and those that failed (each outcome weighs 1, and every earlier one is multiplied by the memory's decay).
/// </summary>
/// <param name="Held">Decayed count of outcomes that held.</param>
/// <param name="Failed">Decayed count of outcomes that failed.</param>
public readonly record struct ClaimRecord(double Held, double Failed)
{
    /// <summary>Decayed count of outcomes.</summary>
    public double Total => Held + Failed;

    /// <summary>The Laplace-smoothed rate at which such claims held: (held + 1) / (total + 2).</summary>
    public double Rate => (Held + 1) / (Total + 2);
}
