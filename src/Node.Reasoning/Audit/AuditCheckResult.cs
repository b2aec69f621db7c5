namespace Node.Reasoning.Audit;

/// <summary>The result of one audit check.</summary>
/// <param name="Id">Stable id, <c>category.rule</c> (e.g. <c>ethics.explanations</c>).</param>
/// <param name="Category">The category it counts towards.</param>
/// <param name="Title">The rule, in a few words.</param>
/// <param name="Status">Pass, fail or not applicable.</param>
/// <param name="Finding">What was found; on failure it names the first few offenders and how many there are.</param>
/// <param name="Recommendation">What an operator should do; set when <paramref name="Status"/> is <see cref="AuditStatus.Fail"/>, otherwise null.</param>
public sealed record AuditCheckResult(string Id, AuditCategory Category, string Title, AuditStatus Status,
    string Finding, string? Recommendation);
