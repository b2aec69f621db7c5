namespace Node.Reasoning.Audit;

/// <summary>A guardian's verdict (approve/reject a decision, promote out of quarantine, change a tier), from the event log.</summary>
/// <param name="Subject">What it was about (decision id, packet id, node id), for naming it in a finding.</param>
/// <param name="Guardian">The guardian who gave it; should be non-empty.</param>
/// <param name="Reason">The reason given; should be non-empty.</param>
public sealed record GuardianVerdict(string Subject, string? Guardian, string? Reason);
