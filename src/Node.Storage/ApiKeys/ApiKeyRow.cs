namespace Node.Storage.ApiKeys;

/// <summary>
/// An API key's row as stored (table <c>api_keys</c>), each column as it reads: a row written
/// outside the node may hold a value of another type, which reads as null here, so the caller can
/// refuse the key rather than fail.
/// </summary>
/// <param name="Id">The key id.</param>
/// <param name="Hash">The SHA-256 of its secret.</param>
/// <param name="Scope">read, write or admin.</param>
/// <param name="Name">The operator's name for it.</param>
/// <param name="CreatedAt">When it was made, Unix ms.</param>
/// <param name="RevokedAt">When it was revoked, Unix ms; null while valid.</param>
public sealed record ApiKeyRow(string? Id, byte[]? Hash, string? Scope, string? Name, long? CreatedAt, long? RevokedAt);
