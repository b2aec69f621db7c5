namespace Node.Federation.Link.Internal;

/// <summary>One live link to a peer, as <see cref="DialPolicy.Keep"/> weighs it.</summary>
/// <param name="Id">The caller's handle for it (a connection number); it plays no part in the choice but to break an exact tie.</param>
/// <param name="WeDialled">Whether this node dialled it (else the peer did, and this node accepted it).</param>
/// <param name="EstablishedAt">When its heartbeat stream opened, a <see cref="TimeProvider.GetTimestamp"/> value.</param>
internal readonly record struct LinkCandidate(long Id, bool WeDialled, long EstablishedAt);
