using System.Diagnostics.CodeAnalysis;

namespace Node.Federation.Discovery.Dns;

public sealed partial class DnsMessage
{
    /// <summary>
    /// Reads a message from untrusted bytes. Never throws: malformed input (truncation, a compression
    /// pointer loop or forward pointer, a name over 255 bytes, counts the packet cannot hold, more
    /// than <see cref="MaxSize"/> bytes) comes back as false with <paramref name="error"/> naming it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, [NotNullWhen(true)] out DnsMessage? message, [NotNullWhen(false)] out string? error)
    {
        throw new NotImplementedException();
    }
}
