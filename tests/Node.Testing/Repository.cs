namespace Node.Testing;

/// <summary>Files of the repository the tests were built from.</summary>
public static class Repository
{
    /// <summary>The path of <paramref name="parts"/> under the directory that holds SovereignNode.sln.</summary>
    public static string File(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "SovereignNode.sln")))
            {
                return Path.Combine([dir.FullName, .. parts]);
            }
        }

        throw new InvalidOperationException($"No SovereignNode.sln above {AppContext.BaseDirectory}.");
    }
}
