using Microsoft.Data.Sqlite;

namespace Node.Storage.Internal;

/// <summary>
/// The commands one connection has prepared, kept for as long as their owner (a reader's scope,
/// or the writer) and reused: each query or write of a typed table is one SQL text, prepared once.
/// </summary>
/// <remarks>Not thread-safe: owned by one reader or by the writer thread.</remarks>
internal sealed class CommandCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>The command for <paramref name="sql"/>, its parameters cleared.</summary>
    public SqliteCommand Get(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}

/// <summary>Binding and reading helpers for the typed tables.</summary>
internal static class SqlValues
{
    /// <summary>Binds <paramref name="value"/> (null as SQL NULL) and returns the command, for chaining.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>The first column of the first row, or null (no row, or SQL NULL).</summary>
    public static object? Scalar(this SqliteCommand command) => command.ExecuteScalar() is var value && value is DBNull ? null : value;

    public static string? TextOrNull(this SqliteDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    public static long? Int64OrNull(this SqliteDataReader row, int column) => row.IsDBNull(column) ? null : row.GetInt64(column);
}
