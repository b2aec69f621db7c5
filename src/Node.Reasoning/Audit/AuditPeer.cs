namespace Node.Reasoning.Audit;

/// <summary>An active peer (in the heartbeat's active set) and its trust tier.</summary>
/// <param name="NodeId">The peer's node id.</param>
/// <param name="Tier">Its trust tier, lower case as in ARCHITECTURE.md: <c>core</c>, <c>sandbox</c>, <c>external</c> or <c>unknown</c>.</param>
public sealed record AuditPeer(string NodeId, string Tier);
