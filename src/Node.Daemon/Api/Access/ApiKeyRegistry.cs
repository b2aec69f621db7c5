using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Protocol.Api;
using Node.Storage;
using Node.Storage.ApiKeys;
using Node.Storage.Events.Payloads;
using Node.Storage.Writing;

namespace Node.Daemon.Api.Access;

/// <summary>
/// The node's API keys: kept in the store (<c>api_keys</c>, hashes only) and, for checking calls,
/// in memory. The memory copy is loaded when the node starts and changed only after the store
/// committed, before the call that changed it replies: a key revoked is refused on its very next call.
/// Creation and revocation are events in the hash-chained log (id, scope, name, who — never the secret).
/// </summary>
internal sealed partial class ApiKeyRegistry(NodeStore store, ILogger<ApiKeyRegistry> logger) : IHostedService
{
    private const int MaxIdAttempts = 8;

    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);

    /// <summary>Loads the keys; runs after the store has opened (it is registered after it).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var reader = store.OpenReader();
        foreach (var row in reader.ApiKeys.All())
        {
            if (Read(row) is { } key)
            {
                _keys[key.Id] = key;
            }
            else
            {
                LogUnreadableRow(logger, row.Id ?? "(no id)");
            }
        }

        var valid = _keys.Values.Count(k => !k.IsRevoked);
        LogLoaded(logger, _keys.Count, valid);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every key, valid and revoked, oldest first.</summary>
    public IReadOnlyList<ApiKeyRecord> List() =>
        [.. _keys.Values.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)];

    /// <summary>Makes a key; the secret is returned here only and never kept.</summary>
    /// <param name="scope">Read, write or admin.</param>
    /// <param name="name">The operator's name for it (checked by the caller).</param>
    /// <param name="by">Who asks, for the event log.</param>
    /// <param name="cancellationToken">Cancels the write if it has not started.</param>
    /// <exception cref="StoreWriteException">The store could not commit it.</exception>
    public async Task<(ApiKeyRecord Key, string Secret)> CreateAsync(ApiScope scope, string name, string by, CancellationToken cancellationToken)
    {
        var scopeName = ApiScopes.Name(scope);
        var created = await store.Writer.WriteAsync<(ApiKeyRecord Key, string Secret)>(context =>
        {
            // 50 random bits of id make a collision unlikely, not impossible: draw again.
            for (var attempt = 0; attempt < MaxIdAttempts; attempt++)
            {
                var id = ApiKeySecrets.NewId();
                var secret = ApiKeySecrets.NewSecret(id);
                var key = new ApiKeyRecord(id, ApiKeySecrets.Hash(secret), scope, name, context.Now, null);
                if (context.ApiKeys.Insert(key.Id, key.Hash, scopeName, key.Name, key.CreatedAt))
                {
                    context.AppendEvent(new ApiKeyCreatedEvent(key.Id, scopeName, key.Name, by));
                    return (key, secret);
                }
            }

            throw new InvalidOperationException($"No free API key id after {MaxIdAttempts} draws.");
        }, cancellationToken).ConfigureAwait(false);

        _keys[created.Key.Id] = created.Key;
        LogCreated(logger, created.Key.Id, scopeName, created.Key.Name, by);
        return created;
    }

    /// <summary>Revokes the key <paramref name="id"/>; revoking a revoked key changes nothing.</summary>
    /// <returns>The key as it now is, or null when there is no such key.</returns>
    /// <exception cref="StoreWriteException">The store could not commit it.</exception>
    public async Task<ApiKeyRecord?> RevokeAsync(string id, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var (key, changed) = await store.Writer.WriteAsync(context =>
        {
            var changed = context.ApiKeys.Revoke(id, context.Now);
            var key = context.ApiKeys.Find(id) is { } row ? Read(row) : null;
            if (changed && key is not null)
            {
                context.AppendEvent(new ApiKeyRevokedEvent(key.Id, ApiScopes.Name(key.Scope), key.Name, by));
            }

            return (key, changed);
        }, cancellationToken).ConfigureAwait(false);

        if (key is null)
        {
            return null;
        }

        _keys[key.Id] = key;
        if (changed)
        {
            var scope = ApiScopes.Name(key.Scope);
            LogRevoked(logger, key.Id, scope, key.Name, by);
        }

        return key;
    }

    /// <summary>Checks a presented secret against the keys in memory (no I/O).</summary>
    public ApiKeyCheck Check(string? secret)
    {
        if (secret is null || !ApiKeySecrets.TryReadId(secret, out var id))
        {
            return new ApiKeyCheck(ApiKeyOutcome.Malformed, null, null);
        }

        if (!_keys.TryGetValue(id, out var key) || !ApiKeySecrets.Matches(secret, key.Hash))
        {
            return new ApiKeyCheck(ApiKeyOutcome.Unknown, id, null);
        }

        return new ApiKeyCheck(key.IsRevoked ? ApiKeyOutcome.Revoked : ApiKeyOutcome.Valid, id, key);
    }

    private static ApiKeyRecord? Read(ApiKeyRow row) =>
        row is { Id: { } id, Hash: { Length: ApiKeySecrets.HashBytes } hash, CreatedAt: { } created } && ApiScopes.TryParse(row.Scope, out var scope)
            ? new ApiKeyRecord(id, hash, scope, row.Name ?? "", created, row.RevokedAt)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys loaded: {Count}, of which {Valid} valid.")]
    private static partial void LogLoaded(ILogger logger, int count, int valid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key row {Id} cannot be read (wrong types or an unknown scope); it is ignored, so the key is refused.")]
    private static partial void LogUnreadableRow(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} created with scope {Scope} (name '{Name}', by {By}).")]
    private static partial void LogCreated(ILogger logger, string keyId, string scope, string name, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} revoked (scope {Scope}, name '{Name}', by {By}).")]
    private static partial void LogRevoked(ILogger logger, string keyId, string scope, string name, string by);
}
