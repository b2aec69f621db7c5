using System.CommandLine;
using System.Reflection;
using Node.Cli.Commands;

namespace Node.Cli;

/// <summary>
/// <c>nodectl</c>, the operator's client of the node's local API (gRPC over its Unix socket).
/// Exit codes: 0 ok, 1 error (or a check that failed), 2 usage, 3 cannot reach the daemon.
/// </summary>
public static class NodeCtl
{
    /// <summary>Exit code of success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code of an error reported by the node, or of a check that failed.</summary>
    public const int Error = 1;

    /// <summary>Exit code of a usage error: an unknown command or option, a missing or invalid argument.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when the daemon cannot be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>The version this binary was built as.</summary>
    public static string Version { get; } =
        typeof(NodeCtl).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs one command, writing to <paramref name="output"/> and <paramref name="error"/>; returns the exit code.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        return RunAsync(args, new CliConsole { Output = output, Error = error }, CancellationToken.None);
    }

    /// <summary>
    /// Runs one command on <paramref name="console"/>; <paramref name="cancellationToken"/> is
    /// Ctrl-C (a command that follows a stream ends with <see cref="Ok"/>). Returns the exit code.
    /// </summary>
    internal static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);

        var root = CommandTree.Create(console);
        var parse = root.Parse(WithHelpWord(args));
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            await UsageErrors.WriteAsync(parse, console.Error).ConfigureAwait(false);
            return UsageError;
        }

        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = console.Output,
            Error = console.Error,
            // Ctrl-C is the caller's (Program.cs): it cancels the token instead of killing the process.
            ProcessTerminationTimeout = null,
        }, cancellationToken).ConfigureAwait(false);
    }

    // "nodectl" alone and "nodectl help [COMMAND…]" read as "--help".
    private static string[] WithHelpWord(IReadOnlyList<string> args) =>
        args.Count == 0 ? ["--help"]
        : args[0] == "help" ? [.. args.Skip(1), "--help"]
        : [.. args];
}
