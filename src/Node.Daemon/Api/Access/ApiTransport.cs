namespace Node.Daemon.Api.Access;

/// <summary>How a call reached the node.</summary>
internal enum ApiTransport
{
    /// <summary>The Unix socket (whoever may open it is an operator).</summary>
    UnixSocket,

    /// <summary>The TCP listener on 127.0.0.1 (an API key is required).</summary>
    Tcp,
}
