namespace Node.Cli;

/// <summary>
/// What nodectl reads and writes: standard output and error, standard input (for
/// <c>--file -</c>), whether standard error is a terminal (progress is drawn only there) and the
/// clock. Tests give their own.
/// </summary>
internal sealed class CliConsole
{
    /// <summary>Results: tables, text, JSON.</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Errors (<c>nodectl: …</c>), warnings and progress.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Opens standard input; the caller disposes the stream. Defaults to an empty stream.</summary>
    public Func<Stream> OpenInput { get; init; } = () => Stream.Null;

    /// <summary>Whether <see cref="Error"/> is a terminal, where a progress line may be redrawn with <c>\r</c>.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The clock deadlines are set by.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The process's own console.</summary>
    public static CliConsole FromProcess() => new()
    {
        Output = Console.Out,
        Error = Console.Error,
        OpenInput = Console.OpenStandardInput,
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };
}
