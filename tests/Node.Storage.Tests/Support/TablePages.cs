using System.Buffers.Binary;
using Microsoft.Data.Sqlite;

namespace Node.Storage.Tests.Support;

/// <summary>
/// Finds the pages of a table in a SQLite file by walking its b-tree (the file format,
/// sqlite.org/fileformat2.html §1.6), for tests that damage one page: the bundled SQLite has no dbstat.
/// </summary>
public static class TablePages
{
    private const byte InteriorTablePage = 0x05;
    private const byte LeafTablePage = 0x0D;

    /// <summary>A leaf page of <paramref name="table"/> from the middle of its tree (pages count from 1).</summary>
    public static long MiddleLeaf(string databasePath, string table, out int pageSize)
    {
        long page;
        // A read-only connection to a WAL database leaves a -shm file behind; this one must leave nothing.
        var made = new[] { databasePath + "-wal", databasePath + "-shm" }.Where(f => !File.Exists(f)).ToList();
        using (var connection = TestStore.Connect(databasePath, SqliteOpenMode.ReadOnly))
        {
            pageSize = (int)TestStore.Scalar<long>(connection, "PRAGMA page_size");
            page = TestStore.Scalar<long>(connection, "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = $name", ("$name", table));
        }

        made.ForEach(File.Delete);

        var bytes = new byte[pageSize];
        using var file = new FileStream(databasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        while (true)
        {
            file.Position = (page - 1) * pageSize;
            file.ReadExactly(bytes);
            var header = page == 1 ? 100 : 0;
            switch (bytes[header])
            {
                case LeafTablePage:
                    return page;
                case InteriorTablePage:
                    // Cell pointers follow the 12-byte interior header; each cell opens with its child's page number.
                    var cells = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(header + 3));
                    if (cells == 0)
                    {
                        page = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(header + 8));
                        continue;
                    }

                    var cell = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(header + 12 + (2 * (cells / 2))));
                    page = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(cell));
                    continue;
                default:
                    throw new InvalidDataException($"Page {page} of {table} in {databasePath} is not a table b-tree page (type {bytes[header]:x2}).");
            }
        }
    }

    /// <summary>Overwrites page <paramref name="page"/> with random bytes from <paramref name="random"/>.</summary>
    public static void Overwrite(string databasePath, long page, int pageSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var garbage = new byte[pageSize];
        random.NextBytes(garbage);
        using var file = new FileStream(databasePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Position = (page - 1) * pageSize;
        file.Write(garbage);
        file.Flush(flushToDisk: true);
    }
}
