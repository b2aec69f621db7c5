using Microsoft.Data.Sqlite;

namespace Node.Storage.Schema;

/// <summary>Brings a database to <see cref="Migrations.Latest"/>, or refuses one from a newer build.</summary>
internal static class Migrator
{
    public static int ReadVersion(SqliteConnection connection) => (int)Sql.Scalar<long>(connection, "PRAGMA user_version");

    /// <summary>Refuses a database written by a newer build, before anything touches it.</summary>
    /// <returns>The database's schema version.</returns>
    public static int EnsureNotNewer(SqliteConnection connection, string path)
    {
        var current = ReadVersion(connection);
        if (current > Migrations.Latest)
        {
            throw new StoreOpenException(StoreProblem.NewerSchema,
                $"{path} has schema version {current}, newer than this sovereign-node understands (up to {Migrations.Latest}). " +
                "It was not modified. Run the newer sovereign-node that wrote it, or restore a backup made by this version.");
        }

        return current;
    }

    /// <summary>Applies every missing step up to <paramref name="target"/>, each in its own transaction.</summary>
    /// <returns>The steps applied.</returns>
    /// <exception cref="StoreOpenException">The database is newer than this build: it is not touched.</exception>
    public static IReadOnlyList<Migration> Apply(SqliteConnection connection, string path, int target)
    {
        var current = EnsureNotNewer(connection, path);

        var applied = new List<Migration>();
        foreach (var step in Migrations.All.Where(m => m.Version > current && m.Version <= target))
        {
            Sql.Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                Sql.Execute(connection, step.Sql);
                Sql.Execute(connection, $"PRAGMA user_version = {step.Version}");
                Sql.Execute(connection, "COMMIT");
            }
            catch
            {
                Sql.Execute(connection, "ROLLBACK");
                throw;
            }

            applied.Add(step);
        }

        return applied;
    }
}
