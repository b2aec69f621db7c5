namespace Node.Daemon.Api.Access;

/// <summary>Why the node refused an API call, as <see cref="ApiRefusals"/> counts it.</summary>
internal enum ApiRefusal
{
    /// <summary>Over TCP without a valid API key: none, not Bearer, malformed, unknown or revoked.</summary>
    NoValidKey,

    /// <summary>Over its key's rate limit.</summary>
    OverRateLimit,

    /// <summary>A method its key's scope does not cover.</summary>
    OutOfScope,

    /// <summary>A request message that does not decode as the method's (any transport).</summary>
    Undecodable,
}
