using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Node.Daemon.Logging;

/// <summary>
/// Writes one journal line per event: <c>&lt;priority&gt;Source: message</c> (sd-daemon(3)
/// prefixes), with an exception's type and message on the same line (its stack goes to the log
/// files), so <c>journalctl -p err</c> filters by level and every event is one journal entry.
/// The journal stamps the time itself.
/// </summary>
internal sealed class JournalFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _message = new("{Source}: {Message:lj}", ConsoleKindDetector.Invariant);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        var text = new StringWriter(ConsoleKindDetector.Invariant);
        _message.Format(logEvent, text);
        if (logEvent.Exception is { } ex)
        {
            text.Write($" ({ex.GetType().Name}: {ex.Message})");
        }

        output.Write(ConsoleKindDetector.Priority(logEvent.Level));
        output.Write(text.ToString().ReplaceLineEndings(" "));
        output.Write('\n');
    }
}
