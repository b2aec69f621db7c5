using Microsoft.Data.Sqlite;
using Node.Storage.Internal;

namespace Node.Storage.ApiKeys;

/// <summary>Reads the API keys (hashes only; a secret is never stored).</summary>
public class ApiKeyQueries
{
    private protected const string Columns = "id, hash, scope, name, created_at, revoked_at";

    internal ApiKeyQueries(CommandCache commands) => Commands = commands;

    private protected CommandCache Commands { get; }

    /// <summary>Every key's row, valid and revoked.</summary>
    public IReadOnlyList<ApiKeyRow> All() => ReadAll(Commands.Get($"SELECT {Columns} FROM api_keys"));

    /// <summary>The row of key <paramref name="id"/>, or null.</summary>
    public ApiKeyRow? Find(string id) => ReadAll(Commands.Get($"SELECT {Columns} FROM api_keys WHERE id = $id").With("$id", id)) is [var row] ? row : null;

    private static List<ApiKeyRow> ReadAll(SqliteCommand command)
    {
        var keys = new List<ApiKeyRow>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            keys.Add(new ApiKeyRow(rows.GetValue(0) as string, rows.GetValue(1) as byte[], rows.GetValue(2) as string, rows.GetValue(3) as string,
                rows.GetValue(4) as long?, rows.GetValue(5) as long?));
        }

        return keys;
    }
}
