using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Node.Storage.Tests.Support;

/// <summary>Opens stores, and raw connections to their files, the way the tests need them.</summary>
public static class TestStore
{
    /// <summary>Opens the store in <paramref name="directory"/> with default options unless given.</summary>
    public static NodeStore Open(string directory, TimeProvider? time = null, StoreOptions? options = null, ILogger? logger = null) =>
        NodeStore.Open(directory, options ?? new StoreOptions(), time ?? TimeProvider.System, logger ?? NullLogger.Instance);

    /// <summary>
    /// A connection to a database file outside the store: unpooled, so disposing it really
    /// closes the file (and checkpoints and removes a WAL it wrote).
    /// </summary>
    public static SqliteConnection Connect(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWrite)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    public static T Scalar<T>(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return (T)command.ExecuteScalar()!;
    }

    public static void Execute(StoreReader reader, string sql, params (string Name, object Value)[] parameters) =>
        Execute(reader.Connection, sql, parameters);

    public static T Scalar<T>(StoreReader reader, string sql, params (string Name, object Value)[] parameters) =>
        Scalar<T>(reader.Connection, sql, parameters);

    /// <summary>What <c>PRAGMA quick_check</c> says: "ok", or its findings joined by "; ".</summary>
    public static string QuickCheck(StoreReader reader) => QuickCheck(reader.Connection);

    /// <summary>What <c>PRAGMA quick_check</c> says: "ok", or its findings joined by "; ".</summary>
    public static string QuickCheck(SqliteConnection connection)
    {
        using var command = Command(connection, "PRAGMA quick_check");
        using var rows = command.ExecuteReader();
        var findings = new List<string>();
        while (rows.Read())
        {
            findings.Add(rows.GetString(0));
        }

        return string.Join("; ", findings);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
