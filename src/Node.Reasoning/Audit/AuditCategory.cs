namespace Node.Reasoning.Audit;

/// <summary>The six categories of the HRM self-audit, in report order.</summary>
public enum AuditCategory : byte
{
    /// <summary>Decisions are explained, and automatic approval stays within its caps, thresholds and the guardian stop (5 checks).</summary>
    Ethics,

    /// <summary>Decision records are complete and consistent (4 checks).</summary>
    DecisionIntegrity,

    /// <summary>The five reasoners run, reflect, agree and recall (4 checks).</summary>
    AgentCoordination,

    /// <summary>The event log, memory compaction and the store (3 checks).</summary>
    MemoryAndState,

    /// <summary>Latency, calibration and liveness of the critical loops (3 checks).</summary>
    Performance,

    /// <summary>Identity, peers, manifest, quarantine and clock (5 checks).</summary>
    FederationReadiness,
}
