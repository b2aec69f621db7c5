using Node.Reasoning.Decisions;

namespace Node.Daemon.Reasoning;

/// <summary>The decision matrix's reasons, as a guardian reads them.</summary>
internal static class DecisionReasons
{
    public static string Describe(DecisionVerdict verdict) => verdict.Reason switch
    {
        DecisionReason.AtOrAboveThreshold => $"confidence at or above the threshold {verdict.Threshold:0.###}, under the cap of {verdict.MaxAutoPerHour}/h",
        DecisionReason.BelowThreshold => $"confidence below the threshold {verdict.Threshold:0.###}: a guardian decides",
        DecisionReason.OverHourlyCap => $"{verdict.ApprovalsInLastHour} automatic approvals in the last hour reached the cap of {verdict.MaxAutoPerHour}: a guardian decides",
        DecisionReason.GuardianStop => "automatic approval is stopped by a guardian: a guardian decides",
        DecisionReason.NeverAutomatic => "this type is never approved automatically: a guardian decides",
        DecisionReason.UnknownType => "the decision type is not in the matrix",
        DecisionReason.InvalidConfidence => "the confidence is not in [0, 1]",
        _ => verdict.Reason.ToString(),
    };
}
