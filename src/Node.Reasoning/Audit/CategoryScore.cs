namespace Node.Reasoning.Audit;

/// <summary>How one category fared.</summary>
/// <param name="Category">The category.</param>
/// <param name="Checks">Its number of checks.</param>
/// <param name="Passed">Checks that passed.</param>
/// <param name="Failed">Checks that failed.</param>
/// <param name="NotApplicable">Checks that could not be judged yet.</param>
public sealed record CategoryScore(AuditCategory Category, int Checks, int Passed, int Failed, int NotApplicable)
{
    /// <summary>Checks that could be judged: passed plus failed.</summary>
    public int Applicable => Passed + Failed;

    /// <summary><see cref="Passed"/> / <see cref="Applicable"/>, in [0, 1]; null when no check was applicable.</summary>
    public double? PassRate => Applicable == 0 ? null : (double)Passed / Applicable;
}
