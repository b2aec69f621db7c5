using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Node.Storage.Internal;

namespace Node.Storage.Backup;

/// <summary>
/// Retractions never come back, not even through a restore: the retraction packets the replaced store held (and
/// their authors' keys) are carried into the restored one, and put through the intake at the next start as any
/// arrival (<see cref="Sync.SyncQueries.CarriedRetractions()"/>). A backup from before a retraction then cannot bring
/// the retracted value back.
/// </summary>
internal static class CarriedRetractions
{
    /// <summary>The retraction envelopes, as length-prefixed records (4 bytes big-endian, then the bytes).</summary>
    public const string EnvelopesKey = "carried_retractions";

    /// <summary>Their authors' public keys, 32 bytes each (self-certifying: the node id is the key's hash).</summary>
    public const string KeysKey = "carried_retraction_keys";

    /// <summary>
    /// Reads the retraction packets of <paramref name="replaced"/> that <paramref name="staging"/> lacks, with their
    /// authors' keys, and records them in <paramref name="staging"/>. The replaced store may be damaged (often why one
    /// restores): what cannot be read is said, not thrown.
    /// </summary>
    /// <returns>How many were carried, and why none could be when the replaced store could not be read.</returns>
    public static (int Carried, string? Problem) Carry(string replaced, SqliteConnection staging)
    {
        List<byte[]> envelopes = [];
        List<byte[]> keys = [];
        try
        {
            using var old = Sql.Open(replaced, SqliteOpenMode.ReadOnly);
            using (var read = old.CreateCommand())
            {
                read.CommandText = "SELECT id, envelope FROM packets WHERE kind = 'retraction' ORDER BY seq";
                using var rows = read.ExecuteReader();
                using var present = staging.CreateCommand();
                present.CommandText = "SELECT 1 FROM packets WHERE id = $id";
                var id = present.Parameters.Add("$id", SqliteType.Blob);
                while (rows.Read())
                {
                    id.Value = (byte[])rows[0];
                    if (present.ExecuteScalar() is null)
                    {
                        envelopes.Add((byte[])rows[1]);
                    }
                }
            }

            if (envelopes.Count > 0 && Sql.Scalar<long>(old, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'author_keys'") > 0)
            {
                using var read = old.CreateCommand();
                read.CommandText = "SELECT public_key FROM author_keys WHERE node_id IN (SELECT DISTINCT author FROM packets WHERE kind = 'retraction')";
                using var rows = read.ExecuteReader();
                while (rows.Read())
                {
                    keys.Add((byte[])rows[0]);
                }
            }
        }
        catch (SqliteException ex)
        {
            return (0, $"the retractions of the replaced database could not be read ({ex.Message}); peers will send them again");
        }

        if (envelopes.Count > 0)
        {
            StoreInfo.Write(staging, EnvelopesKey, Encode(envelopes));
            StoreInfo.Write(staging, KeysKey, [.. keys.SelectMany(k => k)]);
        }

        return (envelopes.Count, null);
    }

    /// <summary>Length-prefixed records.</summary>
    public static byte[] Encode(IReadOnlyList<byte[]> records)
    {
        var bytes = new byte[records.Sum(r => 4 + r.Length)];
        var at = 0;
        foreach (var record in records)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), record.Length);
            record.CopyTo(bytes, at + 4);
            at += 4 + record.Length;
        }

        return bytes;
    }

    /// <summary>The records of <paramref name="bytes"/>; a truncated tail is dropped, never thrown on.</summary>
    public static List<byte[]> Decode(ReadOnlySpan<byte> bytes)
    {
        var records = new List<byte[]>();
        while (bytes.Length >= 4)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes);
            if (length < 0 || length > bytes.Length - 4)
            {
                break;
            }

            records.Add(bytes.Slice(4, length).ToArray());
            bytes = bytes[(4 + length)..];
        }

        return records;
    }
}
