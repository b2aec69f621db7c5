namespace Node.Reasoning.Decisions;

/// <summary>How one decision type is approved: its confidence threshold and its hourly cap on automatic approvals.</summary>
/// <param name="Type">The decision type, <c>[a-z_]{1,32}</c> (see <see cref="DecisionTypes"/>).</param>
/// <param name="Threshold">
/// The confidence, in (0, 1], at or above which a decision may be approved without a guardian.
/// </param>
/// <param name="MaxAutoPerHour">
/// How many decisions of this type may be approved automatically in any 60 minutes (a sliding window),
/// 0 to <see cref="DecisionPolicy.MaxCap"/>; 0 means never automatic: every decision waits for a guardian.
/// </param>
public readonly record struct DecisionRule(string Type, double Threshold, int MaxAutoPerHour);
