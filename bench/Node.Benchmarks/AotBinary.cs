namespace Node.Benchmarks;

/// <summary>The native-AOT <c>sovereign-node</c> to measure: <c>$SOVEREIGN_NODE_BIN</c>, or <c>artifacts/aot/sovereign-node</c> from scripts/publish-aot.sh.</summary>
internal static class AotBinary
{
    public static string Find()
    {
        var binary = Environment.GetEnvironmentVariable("SOVEREIGN_NODE_BIN") is { Length: > 0 } bin ? bin : FindInRepository();
        return File.Exists(binary)
            ? binary
            : throw new FileNotFoundException($"No sovereign-node binary at {binary}; run scripts/publish-aot.sh first or set SOVEREIGN_NODE_BIN.");
    }

    private static string FindInRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SovereignNode.sln")))
            {
                return Path.Combine(dir.FullName, "artifacts", "aot", "sovereign-node");
            }
        }

        return "sovereign-node";
    }
}
