namespace Node.Reasoning.Audit;

/// <summary>The snake_case names of the self-audit's categories and statuses, as the API and nodectl show them.</summary>
public static class AuditNames
{
    /// <summary>The snake_case name of a category, as the API and nodectl show it.</summary>
    public static string Name(AuditCategory category) => category switch
    {
        AuditCategory.Ethics => "ethics",
        AuditCategory.DecisionIntegrity => "decision_integrity",
        AuditCategory.AgentCoordination => "agent_coordination",
        AuditCategory.MemoryAndState => "memory_and_state",
        AuditCategory.Performance => "performance",
        AuditCategory.FederationReadiness => "federation_readiness",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown audit category."),
    };

    /// <summary>The snake_case name of a status, as the API and nodectl show it.</summary>
    public static string Name(AuditStatus status) => status switch
    {
        AuditStatus.Pass => "pass",
        AuditStatus.Fail => "fail",
        AuditStatus.NotApplicable => "not_applicable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown audit status."),
    };
}
