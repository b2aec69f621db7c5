namespace Node.Federation.Identity;

/// <summary>What became of a request to rotate the node's key (<see cref="IdentityRotation.RequestAsync"/>).</summary>
public enum RotationRequestOutcome
{
    /// <summary>The new key and the statement are kept; the new id takes effect at the next start.</summary>
    Pending,

    /// <summary>A rotation asked for earlier still waits for the next start; nothing was changed.</summary>
    AlreadyPending,
}

/// <summary>A request to rotate the node's key, answered.</summary>
/// <param name="Outcome">What became of it.</param>
/// <param name="Old">The node id now.</param>
/// <param name="New">The node id from the next start (for <see cref="RotationRequestOutcome.AlreadyPending"/>, the one asked for before).</param>
/// <param name="RequestedAt">When that rotation was asked for, Unix ms.</param>
public readonly record struct RotationRequest(RotationRequestOutcome Outcome, NodeId Old, NodeId New, long RequestedAt);
