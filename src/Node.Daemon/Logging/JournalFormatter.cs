using Serilog.Events;
using Serilog.Formatting;

namespace Node.Daemon.Logging;

/// <summary>
/// Writes one journal line per event: <c>&lt;priority&gt;Source: message</c>, with an exception's
/// type and message on the same line (its stack goes to the log files), so
/// <c>journalctl -p err</c> filters by level and every event is one journal entry.
/// </summary>
internal sealed class JournalFormatter : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write(ConsoleKindDetector.Priority(logEvent.Level));
        if (logEvent.Properties.TryGetValue(SourceEnricher.PropertyName, out var source) && source is ScalarValue { Value: string name })
        {
            output.Write(name);
            output.Write(": ");
        }

        output.Write(OneLine(logEvent.RenderMessage(ConsoleKindDetector.Invariant)));
        if (logEvent.Exception is { } ex)
        {
            output.Write(" (");
            output.Write(ex.GetType().Name);
            output.Write(": ");
            output.Write(OneLine(ex.Message));
            output.Write(')');
        }

        output.Write('\n');
    }

    private static string OneLine(string text) => text.Contains('\n', StringComparison.Ordinal)
        ? text.ReplaceLineEndings(" ")
        : text;
}
