using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Protocol.Api;
using Node.Storage;
using Node.Storage.Events;
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
    private const string Columns = "id, hash, scope, name, created_at, revoked_at";
    private const int MaxIdAttempts = 8;

    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);

    /// <summary>Loads the keys; runs after the store has opened (it is registered after it).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var reader = store.OpenReader();
        using var command = reader.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_keys";
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            if (Read(rows) is { } key)
            {
                _keys[key.Id] = key;
            }
            else
            {
                var id = rows.GetValue(0) as string ?? "(no id)";
                LogUnreadableRow(logger, id);
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
                var insert = context.Command(
                    $"INSERT INTO api_keys ({Columns}) VALUES ($id, $hash, $scope, $name, $created, NULL) ON CONFLICT (id) DO NOTHING");
                insert.Parameters.AddWithValue("$id", key.Id);
                insert.Parameters.AddWithValue("$hash", key.Hash);
                insert.Parameters.AddWithValue("$scope", scopeName);
                insert.Parameters.AddWithValue("$name", key.Name);
                insert.Parameters.AddWithValue("$created", key.CreatedAt);
                if (insert.ExecuteNonQuery() == 1)
                {
                    context.AppendEvent(EventKinds.ApiKeyCreated, Payload(key, by));
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
            var revoke = context.Command("UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL");
            revoke.Parameters.AddWithValue("$id", id);
            revoke.Parameters.AddWithValue("$at", context.Now);
            var changed = revoke.ExecuteNonQuery() == 1;
            var select = context.Command($"SELECT {Columns} FROM api_keys WHERE id = $id");
            select.Parameters.AddWithValue("$id", id);
            ApiKeyRecord? key;
            using (var rows = select.ExecuteReader())
            {
                key = rows.Read() ? Read(rows) : null;
            }

            if (changed && key is not null)
            {
                context.AppendEvent(EventKinds.ApiKeyRevoked, Payload(key, by));
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

    private static ApiKeyRecord? Read(SqliteDataReader rows) =>
        rows.GetValue(0) is string id && rows.GetValue(1) is byte[] { Length: ApiKeySecrets.HashBytes } hash &&
        ApiScopes.TryParse(rows.GetValue(2) as string, out var scope) && rows.GetValue(4) is long created
            ? new ApiKeyRecord(id, hash, scope, rows.GetValue(3) as string ?? "", created, rows.GetValue(5) as long?)
            : null;

    private static string Payload(ApiKeyRecord key, string by) =>
        $$"""{"id":{{Json(key.Id)}},"scope":"{{ApiScopes.Name(key.Scope)}}","name":{{Json(key.Name)}},"by":{{Json(by)}}}""";

    private static string Json(string value) => JsonSerializer.Serialize(value, DaemonJson.Default.String);

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys loaded: {Count}, of which {Valid} valid.")]
    private static partial void LogLoaded(ILogger logger, int count, int valid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key row {Id} cannot be read (wrong types or an unknown scope); it is ignored, so the key is refused.")]
    private static partial void LogUnreadableRow(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} created with scope {Scope} (name '{Name}', by {By}).")]
    private static partial void LogCreated(ILogger logger, string keyId, string scope, string name, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} revoked (scope {Scope}, name '{Name}', by {By}).")]
    private static partial void LogRevoked(ILogger logger, string keyId, string scope, string name, string by);
}
