namespace Node.Cli.Commands;

/// <summary>One line on a terminal, redrawn in place with <c>\r</c>; nothing at all when not enabled (a pipe, a file, --json).</summary>
internal sealed class ProgressLine(TextWriter terminal, bool enabled)
{
    private int _width;

    /// <summary>Replaces the line with <paramref name="text"/>.</summary>
    public async Task ShowAsync(string text)
    {
        if (!enabled)
        {
            return;
        }

        await terminal.WriteAsync($"\r{text.PadRight(_width)}").ConfigureAwait(false);
        await terminal.FlushAsync().ConfigureAwait(false);
        _width = Math.Max(_width, text.Length);
    }

    /// <summary>Blanks the line, so what follows starts on a clean one.</summary>
    public async Task ClearAsync()
    {
        if (enabled && _width > 0)
        {
            await terminal.WriteAsync($"\r{new string(' ', _width)}\r").ConfigureAwait(false);
            await terminal.FlushAsync().ConfigureAwait(false);
            _width = 0;
        }
    }
}
