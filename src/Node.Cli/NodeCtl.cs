using System.Reflection;

namespace Node.Cli;

/// <summary>
/// <c>nodectl</c>, the operator's command-line client of the node's local API. The API and its
/// commands (status, knowledge, peers, decisions, log, backup) arrive with the local-control
/// work; until then nodectl answers <c>--version</c> and <c>--help</c> and refuses the rest
/// with exit code 2.
/// </summary>
public static class NodeCtl
{
    /// <summary>Exit code of a usage error.</summary>
    public const int UsageError = 2;

    /// <summary>The version this binary was built as.</summary>
    public static string Version { get; } =
        typeof(NodeCtl).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs one command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        switch (args.Count > 0 ? args[0] : "--help")
        {
            case "-h" or "--help" or "help":
                output.Write(Usage);
                return 0;
            case "-V" or "--version":
                output.WriteLine($"nodectl {Version}");
                return 0;
            default:
                error.WriteLine($"nodectl: unknown command '{args[0]}'. This nodectl {Version} has no commands yet beyond --help and --version.");
                return UsageError;
        }
    }

    private static string Usage =>
        $"""
        nodectl {Version} - control a Sovereign Node over its local API socket

        Usage: nodectl [--help | --version]

        The local API (status, knowledge, peers, decisions, log, backup) is not in this
        version yet; see the README for what the node does today.

        """;
}
