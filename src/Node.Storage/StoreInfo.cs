using System.Buffers.Binary;

namespace Node.Storage;

/// <summary>Small named values of the store itself (table <c>store_info</c>), such as the clock's persisted ceiling.</summary>
public static class StoreInfo
{
    /// <summary>The key of the hybrid logical clock's persisted ceiling (Unix ms).</summary>
    public const string ClockCeiling = "hlc_ceiling";

    /// <summary>Reads a 64-bit value, or <paramref name="fallback"/> when it was never written.</summary>
    public static long ReadInt64(NodeStore store, string key, long fallback = 0)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        using var reader = store.OpenReader();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT value FROM store_info WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is byte[] { Length: 8 } bytes ? BinaryPrimitives.ReadInt64BigEndian(bytes) : fallback;
    }

    /// <summary>Writes a 64-bit value durably (through the writer: acknowledged once committed).</summary>
    public static Task WriteInt64Async(NodeStore store, string key, long value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return store.Writer.WriteAsync(context =>
        {
            var write = context.Command("INSERT INTO store_info (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
            write.Parameters.AddWithValue("$key", key);
            write.Parameters.AddWithValue("$value", bytes);
            write.ExecuteNonQuery();
        }, cancellationToken);
    }
}
