using System.CommandLine;
using System.Text.Json;
using Grpc.Core;
using Node.Cli.Output;

namespace Node.Cli.Commands;

/// <summary>One command's call to the node: its parsed line, the channel, where to write, and Ctrl-C.</summary>
internal sealed class ApiCall(ParseResult parse, ChannelBase channel, CliConsole console, bool json, CancellationToken cancellation)
{
    /// <summary>How long a single request may take unless the command says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The channel to make clients on.</summary>
    public ChannelBase Channel { get; } = channel;

    /// <summary>Where the command writes.</summary>
    public CliConsole Console { get; } = console;

    /// <summary>Whether <c>--json</c> was given.</summary>
    public bool Json { get; } = json;

    /// <summary>Cancelled on Ctrl-C.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The value of <paramref name="option"/> on this command line.</summary>
    public T? Value<T>(Option<T> option) => parse.GetValue(option);

    /// <summary>The value of <paramref name="argument"/> on this command line.</summary>
    public T? Value<T>(Argument<T> argument) => parse.GetValue(argument);

    /// <summary>Whether <paramref name="option"/> was given on the command line (not just defaulted).</summary>
    public bool Given<T>(Option<T> option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>The value of <paramref name="option"/>, which the parser has made sure is there.</summary>
    public T Required<T>(Option<T> option) => parse.GetRequiredValue(option);

    /// <summary>The value of <paramref name="argument"/>, which the parser has made sure is there.</summary>
    public T Required<T>(Argument<T> argument) => parse.GetRequiredValue(argument);

    /// <summary>Options of a request with a reply: a deadline, and Ctrl-C.</summary>
    public CallOptions Request(TimeSpan? timeout = null) =>
        new(deadline: Console.Time.GetUtcNow().UtcDateTime + (timeout ?? DefaultTimeout), cancellationToken: Cancellation);

    /// <summary>Options of a stream that lasts as long as it needs: Ctrl-C only.</summary>
    public CallOptions Stream() => new(cancellationToken: Cancellation);

    /// <summary>Writes one JSON object on a line of its own.</summary>
    public Task WriteJsonAsync(Action<Utf8JsonWriter> members) => Console.Output.WriteLineAsync(JsonText.Object(members));

    /// <summary>
    /// Writes a reply as the command line asks: one JSON object with <c>--json</c>, else the text
    /// <paramref name="text"/> makes (escaped as <see cref="WriteAsync"/> does). Returns <see cref="NodeCtl.Ok"/>.
    /// </summary>
    public async Task<int> ShowAsync(Action<Utf8JsonWriter> json, Func<string> text)
    {
        await (Json ? WriteJsonAsync(json) : WriteAsync(text())).ConfigureAwait(false);
        return NodeCtl.Ok;
    }

    /// <summary>
    /// Writes text, its control characters but newlines and tabs escaped (<see cref="Display.Lines"/>):
    /// what a peer or a user wrote is shown, never obeyed by the terminal. (JSON passes as it is: it has none.)
    /// </summary>
    public Task WriteAsync(string text) => Console.Output.WriteAsync(Display.Lines(text));

    /// <summary>Writes a line, escaped as <see cref="WriteAsync"/> does.</summary>
    public Task WriteLineAsync(string line) => Console.Output.WriteLineAsync(Display.Lines(line));

    /// <summary>Says what went wrong (<c>nodectl: …</c> on standard error, escaped) and returns <see cref="NodeCtl.Error"/>.</summary>
    public async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"nodectl: {Display.Lines(message)}").ConfigureAwait(false);
        return NodeCtl.Error;
    }
}
