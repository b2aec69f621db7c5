namespace Node.Daemon.Api.Access;

/// <summary>
/// The optional TCP listener of the local API (section <c>Api:Tcp</c>): gRPC over HTTP/2
/// cleartext on 127.0.0.1 only, every call carrying an API key.
/// </summary>
/// <remarks>
/// There is deliberately no address setting. The listener has no TLS, so a key sent to it could
/// be read by anyone between client and node; on the loopback interface nothing leaves the
/// machine. Reach it from elsewhere through an SSH tunnel (<c>ssh -L 8103:127.0.0.1:8103 node</c>).
/// </remarks>
public sealed class ApiTcpOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Api:Tcp";

    /// <summary>The installed port.</summary>
    public const int DefaultPort = 8103;

    /// <summary>Whether the node listens on TCP at all. Defaults to false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The port on 127.0.0.1, 0 to 65535; 0 picks a free port (the node logs which). Defaults to 8103.</summary>
    public int Port { get; set; } = DefaultPort;
}
