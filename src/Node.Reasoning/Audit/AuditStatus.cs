namespace Node.Reasoning.Audit;

/// <summary>The outcome of one audit check.</summary>
public enum AuditStatus : byte
{
    /// <summary>The rule holds.</summary>
    Pass,

    /// <summary>The rule is broken; the check names the offenders and a recommendation.</summary>
    Fail,

    /// <summary>The rule cannot be judged yet (too little data); excluded from pass rates.</summary>
    NotApplicable,
}
