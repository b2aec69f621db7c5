namespace Node.Federation;

/// <summary>Settings of the federation layer (section <c>Federation</c>).</summary>
public sealed class FederationOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Federation";

    /// <summary>The port peers reach us on (TLS gRPC), 0 to 65535; 0 picks a free port. Defaults to 8102.</summary>
    public int PeerPort { get; set; } = DefaultPeerPort;

    /// <summary>The installed peer port.</summary>
    public const int DefaultPeerPort = 8102;
}
