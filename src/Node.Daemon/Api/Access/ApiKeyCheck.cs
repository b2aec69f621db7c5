namespace Node.Daemon.Api.Access;

/// <summary>What checking a presented secret found.</summary>
/// <param name="Outcome">The verdict.</param>
/// <param name="KeyId">The key id read from the secret, when it was well-formed.</param>
/// <param name="Key">The key, when valid or revoked.</param>
internal readonly record struct ApiKeyCheck(ApiKeyOutcome Outcome, string? KeyId, ApiKeyRecord? Key);
