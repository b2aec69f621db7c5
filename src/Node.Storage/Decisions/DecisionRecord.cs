namespace Node.Storage.Decisions;

/// <summary>A decision of the decision matrix, as stored (table <c>decisions</c>).</summary>
/// <param name="Id">Its id.</param>
/// <param name="Type">rollback, deployment, scaling, …</param>
/// <param name="Status"><see cref="DecisionStatuses"/>.</param>
/// <param name="Confidence">The calibrated confidence it was taken with.</param>
/// <param name="CreatedAt">When it was made, Unix ms.</param>
/// <param name="DecidedAt">When it was approved or rejected, Unix ms; null while pending.</param>
/// <param name="DecidedBy"><c>auto</c> or the guardian.</param>
/// <param name="Reason">The guardian's (or the matrix's) reason.</param>
/// <param name="Explanation">The explanation chain, JSON.</param>
/// <param name="Subject">What it is about: a market subject, or for a promotion the packet id in hex; null for decisions made before schema 8.</param>
public sealed record DecisionRecord(string Id, string Type, string Status, double Confidence, long CreatedAt, long? DecidedAt,
    string? DecidedBy, string? Reason, string Explanation, string? Subject = null);

/// <summary>The statuses a decision may have, as stored.</summary>
public static class DecisionStatuses
{
    /// <summary>Waiting for a guardian.</summary>
    public const string Pending = "pending";

    /// <summary>Approved by a guardian.</summary>
    public const string Approved = "approved";

    /// <summary>Rejected by a guardian.</summary>
    public const string Rejected = "rejected";

    /// <summary>Approved by the matrix (at or over threshold, under the hourly cap).</summary>
    public const string AutoApproved = "auto_approved";
}

/// <summary>What a guardian's verdict did.</summary>
public enum VerdictOutcome
{
    /// <summary>Recorded.</summary>
    Decided,

    /// <summary>No decision has that id.</summary>
    NotFound,

    /// <summary>The decision is no longer pending.</summary>
    NotPending,
}
