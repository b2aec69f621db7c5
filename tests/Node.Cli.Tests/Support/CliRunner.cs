using System.Text.Json;

namespace Node.Cli.Tests.Support;

/// <summary>Runs nodectl in-process, as a person or a script would: arguments in, exit code and both streams out.</summary>
public sealed class CliRunner
{
    /// <summary>What standard input holds (for <c>--file -</c>).</summary>
    public byte[] Input { get; init; } = [];

    /// <summary>Whether standard error is a terminal (progress lines are drawn only there).</summary>
    public bool Terminal { get; init; }

    /// <summary>Where standard output goes; a fresh <see cref="StringWriter"/> by default.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Ctrl-C.</summary>
    public CancellationToken Interrupt { get; init; }

    public static Task<CliRun> Run(params string[] args) => new CliRunner().RunAsync(args);

    public async Task<CliRun> RunAsync(params string[] args)
    {
        var output = Output ?? new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole
        {
            Output = output,
            Error = error,
            OpenInput = () => new MemoryStream(Input, writable: false),
            ErrorIsTerminal = Terminal,
        };
        var code = await NodeCtl.RunAsync(args, console, Interrupt);
        return new CliRun(code, output.ToString() ?? "", error.ToString());
    }
}

/// <summary>What one nodectl run gave.</summary>
public sealed record CliRun(int Code, string Output, string Error)
{
    /// <summary>Standard output as one JSON document.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Output);
        return document.RootElement.Clone();
    }

    /// <summary>Standard output as JSON lines (streams).</summary>
    public IReadOnlyList<JsonElement> JsonLines() =>
        [.. Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        })];

    /// <summary>Standard output, line by line.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {Code}\nstdout:\n{Output}\nstderr:\n{Error}";
}
