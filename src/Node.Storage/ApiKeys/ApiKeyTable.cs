using Node.Storage.Internal;

namespace Node.Storage.ApiKeys;

/// <summary>The API keys, inside a write.</summary>
public sealed class ApiKeyTable : ApiKeyQueries
{
    internal ApiKeyTable(CommandCache commands)
        : base(commands)
    {
    }

    /// <summary>Stores a new key (valid); false, with nothing changed, when a key has that id already.</summary>
    public bool Insert(string id, byte[] hash, string scope, string name, long createdAt) =>
        Commands.Get($"INSERT INTO api_keys ({Columns}) VALUES ($id, $hash, $scope, $name, $created, NULL) ON CONFLICT (id) DO NOTHING")
            .With("$id", id).With("$hash", hash).With("$scope", scope).With("$name", name).With("$created", createdAt)
            .ExecuteNonQuery() == 1;

    /// <summary>Revokes key <paramref name="id"/> at <paramref name="at"/> (Unix ms); false when there is no such valid key.</summary>
    public bool Revoke(string id, long at) =>
        Commands.Get("UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL").With("$id", id).With("$at", at).ExecuteNonQuery() == 1;
}
