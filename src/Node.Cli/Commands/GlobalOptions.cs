using System.CommandLine;

namespace Node.Cli.Commands;

/// <summary>The options every command takes: <c>--json</c> and <c>--socket PATH</c>.</summary>
internal sealed class GlobalOptions
{
    /// <summary>Machine-readable output: JSON with camelCase keys (one object per line for streams).</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable output: JSON with camelCase keys (one object per line for streams).",
        Recursive = true,
    };

    /// <summary>The node's API socket; null for the default.</summary>
    public Option<string?> Socket { get; } = new("--socket")
    {
        Description = $"The node's API socket [default: {ApiConnection.InstalledSocket} when it exists, else ./{ApiConnection.DevelopmentSocket}]",
        HelpName = "PATH",
        Recursive = true,
    };
}
