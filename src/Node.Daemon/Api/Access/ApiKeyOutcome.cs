namespace Node.Daemon.Api.Access;

/// <summary>The verdict on a presented secret.</summary>
internal enum ApiKeyOutcome
{
    /// <summary>A known, unrevoked key whose secret matches.</summary>
    Valid,

    /// <summary>Not of the form <c>snk_&lt;id&gt;_&lt;43 base64url&gt;</c>.</summary>
    Malformed,

    /// <summary>No key has that id, or the secret does not match it (the caller is not told which).</summary>
    Unknown,

    /// <summary>The secret matches a key that was revoked.</summary>
    Revoked,
}
