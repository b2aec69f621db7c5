namespace Node.Storage.Schema;

/// <summary>One step of the schema: applied once, in order, in its own transaction.</summary>
/// <param name="Version">The schema version after this step (<c>PRAGMA user_version</c>).</param>
/// <param name="Name">What it adds, for the log.</param>
/// <param name="Sql">The statements.</param>
public sealed record Migration(int Version, string Name, string Sql);
