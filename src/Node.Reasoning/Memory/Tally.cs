namespace Node.Reasoning.Memory;

/// <summary>How many remembered items agree with a direction and how many oppose it.</summary>
/// <param name="Agree">Items with the same direction.</param>
/// <param name="Disagree">Items with the opposite direction.</param>
public readonly record struct Tally(int Agree, int Disagree)
{
    /// <summary>Both together.</summary>
    public int Total => Agree + Disagree;

    /// <summary>The sum of two tallies.</summary>
    public static Tally operator +(Tally left, Tally right) => new(left.Agree + right.Agree, left.Disagree + right.Disagree);

    /// <summary>The sum of two tallies.</summary>
    public static Tally Add(Tally left, Tally right) => left + right;
}
