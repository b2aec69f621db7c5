using System.Buffers.Binary;
using Microsoft.Data.Sqlite;

namespace Node.Storage.Internal;

/// <summary>The store's own small named values (table <c>store_info</c>).</summary>
internal static class StoreInfo
{
    /// <summary>The hybrid logical clock's persisted ceiling (Unix ms, 8 bytes big-endian).</summary>
    public const string ClockCeiling = "hlc_ceiling";

    /// <summary>The store's epoch (16 random bytes), renewed by a restore.</summary>
    public const string Epoch = "epoch";

    /// <summary>Set by a restore to the backup's path; recorded (and removed) at the next open.</summary>
    public const string RestoredFrom = "restored_from";

    /// <summary>How far the scrub under way has verified: the last receive sequence done (8 bytes big-endian); absent when none is under way.</summary>
    public const string ScrubCursor = "scrub_cursor";

    /// <summary>When the last scrub finished, Unix ms (8 bytes big-endian); absent before the first.</summary>
    public const string ScrubCompletedAt = "scrub_completed_at";

    /// <summary>Set by a restore told to keep packets that do not verify: the marks to make at the next open (see <see cref="Backup.CorruptMarks"/>).</summary>
    public const string RestoredCorrupt = "restored_corrupt";

    /// <summary>Whether automatic sync is on (1 byte: 1 on, 0 off); absent: the configured default.</summary>
    public const string AutoSync = "auto_sync";

    public static void WriteFlag(CommandCache commands, string key, bool on) => Write(commands.Get(Upsert), key, [on ? (byte)1 : (byte)0]);

    public static byte[]? Read(SqliteConnection connection, string key)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM store_info WHERE key = $key";
        read.Parameters.AddWithValue("$key", key);
        return read.ExecuteScalar() as byte[];
    }

    public static long ReadInt64(SqliteConnection connection, string key) =>
        Read(connection, key) is { Length: 8 } bytes ? BinaryPrimitives.ReadInt64BigEndian(bytes) : 0;

    public static void Write(SqliteConnection connection, string key, byte[] value)
    {
        using var write = connection.CreateCommand();
        Write(write, key, value);
    }

    public static void WriteInt64(CommandCache commands, string key, long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        Write(commands.Get(Upsert), key, bytes);
    }

    public static void Delete(CommandCache commands, string key) =>
        commands.Get("DELETE FROM store_info WHERE key = $key").With("$key", key).ExecuteNonQuery();

    private const string Upsert = "INSERT INTO store_info (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    private static void Write(SqliteCommand command, string key, byte[] value)
    {
        command.CommandText = Upsert;
        command.With("$key", key).With("$value", value).ExecuteNonQuery();
    }
}
