namespace Node.Federation.Discovery.Dns;

public sealed partial class DnsMessage
{
    /// <summary>
    /// Writes the message with name compression (RFC 1035 §4.1.4), the QU bit on questions and the
    /// cache-flush bit on records (RFC 6762 §18.12–13). False when it does not fit in <paramref name="destination"/>.
    /// </summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        throw new NotImplementedException();
    }
}
