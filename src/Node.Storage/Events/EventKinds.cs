namespace Node.Storage.Events;

/// <summary>
/// The kinds of event the node appends. Kinds are lowercase <c>subject.verb</c>; each has one
/// payload record in <see cref="Payloads"/> (JSON), but for <see cref="PacketAccepted"/>, whose
/// payload is the packet's raw 32-byte id.
/// </summary>
public static class EventKinds
{
    /// <summary>The store was created (the first entry of every log).</summary>
    public const string StoreCreated = "store.created";

    /// <summary>The store was restored from a backup.</summary>
    public const string StoreRestored = "store.restored";

    /// <summary>The schema was upgraded.</summary>
    public const string StoreMigrated = "store.migrated";

    /// <summary>A backup was written.</summary>
    public const string BackupCreated = "backup.created";

    /// <summary>A packet was accepted into the knowledge base (payload: its 32-byte id).</summary>
    public const string PacketAccepted = "packet.accepted";

    /// <summary>A stored packet's bytes no longer verify: it is marked corrupt, kept, never served or synced (payload: id, seq, reason, found by).</summary>
    public const string PacketCorrupt = "packet.corrupt";

    /// <summary>A packet marked corrupt was received again intact and replaced the bad bytes (payload: id, seq).</summary>
    public const string PacketRepaired = "packet.repaired";

    /// <summary>A stored, held or quarantined packet was removed by its author's retraction (payload: id, retraction, author, where from, seq).</summary>
    public const string PacketRetracted = "packet.retracted";

    /// <summary>A sandbox peer's packet arrived and waits in quarantine (payload: id, from peer, reason).</summary>
    public const string PacketQuarantined = "packet.quarantined";

    /// <summary>A packet left quarantine for the knowledge base (payload: id, from peer, by whom, reason).</summary>
    public const string PacketPromoted = "packet.promoted";

    /// <summary>A quarantined packet was rejected: dropped, and not taken again (payload: id, from peer, by whom, reason).</summary>
    public const string PacketRejected = "packet.rejected";

    /// <summary>Automatic sync was switched on or off (payload: on, by whom); it stays so across restarts.</summary>
    public const string SyncAutoChanged = "sync.auto_changed";

    /// <summary>A scrub verified every stored packet (payload: counts checked, unverified, marked, corrupt; who ran it).</summary>
    public const string StoreScrubbed = "store.scrubbed";

    /// <summary>Reasoning memory older than the retention period was removed.</summary>
    public const string MemoryCompacted = "memory.compacted";

    /// <summary>The node made its identity key (payload: its node id).</summary>
    public const string IdentityCreated = "identity.created";

    /// <summary>A key rotation was asked for: the new key waits for the next start (payload: old and new node ids, who asked).</summary>
    public const string IdentityRotationRequested = "identity.rotation_requested";

    /// <summary>The node's identity moved to its new key at start; the old private key was destroyed (payload: old and new node ids).</summary>
    public const string IdentityRotated = "identity.rotated";

    /// <summary>The node started.</summary>
    public const string NodeStarted = "node.started";

    /// <summary>The node stopped cleanly.</summary>
    public const string NodeStopped = "node.stopped";

    /// <summary>The configuration was reloaded (payload: the changed keys, never values).</summary>
    public const string ConfigReloaded = "config.reloaded";

    /// <summary>An API key was created (payload: its id, scope and name, and who created it; never the secret).</summary>
    public const string ApiKeyCreated = "apikey.created";

    /// <summary>An API key was revoked (payload: its id, scope and name, and who revoked it).</summary>
    public const string ApiKeyRevoked = "apikey.revoked";

    /// <summary>A peer was added by hand (payload: address, node id when known).</summary>
    public const string PeerAdded = "peer.added";

    /// <summary>A peer's trust tier changed (payload: node, from, to, reason).</summary>
    public const string PeerTrustChanged = "peer.trust_changed";

    /// <summary>A peer was forgotten (payload: node or address).</summary>
    public const string PeerForgotten = "peer.forgotten";

    /// <summary>A peer was found by mDNS for the first time (payload: node, addresses).</summary>
    public const string PeerDiscovered = "peer.discovered";

    /// <summary>A known peer was found by mDNS at other addresses (payload: node, addresses).</summary>
    public const string PeerChanged = "peer.changed";

    /// <summary>A peer found by mDNS said goodbye or its records expired (payload: node); it stays known.</summary>
    public const string PeerLost = "peer.lost";

    /// <summary>A peer rotated its key and the rotation was accepted: the new id carries the old one's tier, the old id is retired (payload: old, new, tier).</summary>
    public const string PeerRotated = "peer.rotated";

    /// <summary>
    /// A second, different rotation of a peer's old id was refused; the id carrying its tier dropped to
    /// unknown until an operator decides (payload: old, recorded, competing, demoted, from).
    /// </summary>
    public const string PeerRotationConflict = "peer.rotation_conflict";

    /// <summary>The decision matrix made a decision (payload: id, type, status, confidence, subject).</summary>
    public const string DecisionMade = "decision.made";

    /// <summary>A guardian approved or rejected a pending decision (payload: id, verdict, guardian, reason).</summary>
    public const string DecisionDecided = "decision.decided";

    /// <summary>A guardian stopped all automatic approval of decisions (payload: guardian, reason, at in Unix ms).</summary>
    public const string DecisionAutomaticStopped = "decision.automatic_stopped";

    /// <summary>A guardian let automatic approval resume (payload: guardian, and reason when given).</summary>
    public const string DecisionAutomaticResumed = "decision.automatic_resumed";
}
