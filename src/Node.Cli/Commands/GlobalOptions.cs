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

    /// <summary>The node's API socket; null for the default. An empty or blank PATH is a usage error.</summary>
    public Option<string?> Socket { get; } = NotBlank(new("--socket")
    {
        Description = $"The node's API socket [default: {ApiConnection.InstalledSocket} when it exists, else ./{ApiConnection.DevelopmentSocket}]",
        HelpName = "PATH",
        Recursive = true,
    });

    // Given, it must name something: "--socket $UNSET_VARIABLE" is a mistake, not the default.
    private static Option<string?> NotBlank(Option<string?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } path && string.IsNullOrWhiteSpace(path))
            {
                result.AddError($"{option.Name}: must not be empty.");
            }
        });
        return option;
    }
}
