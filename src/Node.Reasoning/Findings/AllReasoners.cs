namespace Node.Reasoning.Findings;

/// <summary>What holds for the <see cref="Reasoner"/> enumeration as a whole.</summary>
public static class AllReasoners
{
    /// <summary>
    /// How many reasoners there are, counted from the enumeration: the length of an array indexed by
    /// <c>(int)reasoner</c> (the values run from 0 without gaps).
    /// </summary>
    public static int Count { get; } = Enum.GetValues<Reasoner>().Length;
}
