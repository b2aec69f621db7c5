using Node.Federation.Identity;
using Node.Federation.Trust;

namespace Node.Federation.Link.Server;

/// <summary>
/// A call the gate admitted, while it runs: who made it, what it is, and the token that ends it
/// when the caller's tier drops below what the method needs (<see cref="PeerCalls.OnTierChanged"/>).
/// </summary>
public sealed class PeerCall : IDisposable
{
    private readonly CancellationTokenSource _revoked;
    private readonly Action<PeerCall>? _ended;
    private string? _revokedReason;
    private Grpc.Core.StatusCode _revokedStatus = Grpc.Core.StatusCode.PermissionDenied;

    internal PeerCall(NodeId caller, TrustTier tier, PeerMethod method, Action<PeerCall>? ended, CancellationToken aborted)
    {
        Caller = caller;
        Tier = tier;
        Method = method;
        _ended = ended;
        _revoked = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    }

    /// <summary>The caller's node id; empty for a Hello (nobody is known before it).</summary>
    public NodeId Caller { get; }

    /// <summary>The caller's tier when the call was admitted.</summary>
    public TrustTier Tier { get; }

    /// <summary>The method called.</summary>
    public PeerMethod Method { get; }

    /// <summary>Cancelled when the call is revoked or the request aborted: every await of the handler uses it.</summary>
    public CancellationToken Token => _revoked.Token;

    /// <summary>Why the call was revoked (its PERMISSION_DENIED message), or null while it may go on.</summary>
    public string? RevokedReason => Volatile.Read(ref _revokedReason);

    /// <summary>The status a revoked call ends with: PERMISSION_DENIED for a tier, UNAVAILABLE when the node stops.</summary>
    public Grpc.Core.StatusCode RevokedStatus => Volatile.Read(ref _revokedReason) is null ? Grpc.Core.StatusCode.OK : _revokedStatus;

    /// <summary>Ends the call: its handler answers <paramref name="status"/> (PERMISSION_DENIED unless said) with <paramref name="reason"/>.</summary>
    public void Revoke(string reason, Grpc.Core.StatusCode status = Grpc.Core.StatusCode.PermissionDenied)
    {
        _revokedStatus = status;
        if (Interlocked.CompareExchange(ref _revokedReason, reason, null) is null)
        {
            try
            {
                _revoked.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call ended as it was revoked.
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ended?.Invoke(this);
        _revoked.Dispose();
    }
}
