namespace Node.Daemon.Dashboard;

/// <summary>What opening a login link did.</summary>
internal enum LoginOutcome
{
    /// <summary>The link was good: a session started, the link is spent.</summary>
    SignedIn,

    /// <summary>The link was made by this node but its time ran out before it was opened.</summary>
    Expired,

    /// <summary>The link was opened before (a replay): it works once.</summary>
    AlreadyUsed,

    /// <summary>Not a link this node made (or made so long ago, or before a restart, that it is forgotten).</summary>
    Unknown,
}
