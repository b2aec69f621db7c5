using Node.Protocol.Api;

namespace Node.Daemon.Api.Access;

/// <summary>An API key as the node keeps it: never the secret, only its hash.</summary>
/// <param name="Id">The key id (<c>k</c> and 10 base32 characters).</param>
/// <param name="Hash">SHA-256 of the secret.</param>
/// <param name="Scope">Read, write or admin.</param>
/// <param name="Name">What the operator called it; may be empty.</param>
/// <param name="CreatedAt">Unix milliseconds.</param>
/// <param name="RevokedAt">Unix milliseconds, or null while the key is valid.</param>
internal sealed record ApiKeyRecord(string Id, byte[] Hash, ApiScope Scope, string Name, long CreatedAt, long? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>As the API shows it.</summary>
    public ApiKey ToMessage() => new()
    {
        Id = Id,
        Scope = Scope,
        Name = Name,
        CreatedAt = CreatedAt,
        RevokedAt = RevokedAt ?? 0,
    };
}
