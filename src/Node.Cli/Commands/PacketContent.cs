using System.Text;

namespace Node.Cli.Commands;

/// <summary>The content of a packet to put: <c>--content TEXT</c>, or <c>--file FILE</c> (<c>-</c> for standard input), refused past the limit before anything is sent.</summary>
internal static class PacketContent
{
    /// <summary>The most content nodectl sends: 1 MiB, the limit api.proto gives for <c>PutKnowledgeRequest.content</c>.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>The bytes, or why there are none.</summary>
    public static async Task<(byte[]? Content, string? Problem)> ReadAsync(string? text, string? file, CliConsole console, CancellationToken cancellationToken)
    {
        if (text is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return bytes.Length > MaxBytes ? (null, TooLarge("--content", $"{bytes.Length} bytes")) : (bytes, null);
        }

        ArgumentNullException.ThrowIfNull(file);
        try
        {
            if (file == "-")
            {
                var input = console.OpenInput();
                await using (input.ConfigureAwait(false))
                {
                    return await ReadAsync(input, "standard input", cancellationToken).ConfigureAwait(false);
                }
            }

            var stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                return stream.CanSeek && stream.Length > MaxBytes
                    ? (null, TooLarge(file, $"{stream.Length} bytes"))
                    : await ReadAsync(stream, file, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read {file}: {ex.Message}");
        }
    }

    // Reads at most one byte past the limit, so a pipe that never ends is refused, not buffered.
    private static async Task<(byte[]? Content, string? Problem)> ReadAsync(Stream stream, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        return length > MaxBytes ? (null, TooLarge(name, $"more than {MaxBytes} bytes")) : (buffer[..length], null);
    }

    private static string TooLarge(string name, string size) =>
        $"{name} is {size}; packet content may be at most 256 KiB ({MaxBytes} bytes)";
}
