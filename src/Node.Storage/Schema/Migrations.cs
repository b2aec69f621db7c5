namespace Node.Storage.Schema;

/// <summary>
/// Every schema step of <c>node.db</c>, oldest first. Never edit a released step: add one.
/// Times are Unix milliseconds (UTC); ids and hashes are raw bytes.
/// </summary>
public static class Migrations
{
    /// <summary>The steps, in order; <c>All[i].Version == i + 1</c>.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "packets, dependencies, held packets, event log", """
            CREATE TABLE store_info (
                key   TEXT PRIMARY KEY,
                value BLOB NOT NULL
            ) WITHOUT ROWID;

            -- seq is the local receive sequence peers catch up from (AUTOINCREMENT: never reused,
            -- even after the newest packet is removed); id the SHA-256 of the payload.
            CREATE TABLE packets (
                seq         INTEGER PRIMARY KEY AUTOINCREMENT,
                id          BLOB    NOT NULL UNIQUE CHECK (length(id) = 32),
                envelope    BLOB    NOT NULL,
                topic       TEXT    NOT NULL,
                key         TEXT    NOT NULL,
                author      TEXT    NOT NULL,
                kind        TEXT    NOT NULL,
                hlc         INTEGER NOT NULL,
                received_at INTEGER NOT NULL
            );
            CREATE INDEX packets_slot   ON packets (topic, key);
            CREATE INDEX packets_author ON packets (author);
            CREATE INDEX packets_kind   ON packets (kind);

            CREATE TABLE packet_dependencies (
                packet_id  BLOB NOT NULL,
                depends_on BLOB NOT NULL,
                PRIMARY KEY (packet_id, depends_on)
            ) WITHOUT ROWID;
            CREATE INDEX packet_dependencies_target ON packet_dependencies (depends_on);

            -- Packets waiting for dependencies; held_missing says which ids each still needs.
            CREATE TABLE held_packets (
                id          BLOB    PRIMARY KEY,
                envelope    BLOB    NOT NULL,
                from_peer   TEXT,
                received_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE held_missing (
                missing BLOB NOT NULL,
                id      BLOB NOT NULL,
                PRIMARY KEY (missing, id)
            ) WITHOUT ROWID;

            -- Append-only; hash = SHA-256(prev_hash, seq, time, kind, payload), see EventChain.
            CREATE TABLE events (
                seq       INTEGER PRIMARY KEY,
                time      INTEGER NOT NULL,
                kind      TEXT    NOT NULL,
                payload   BLOB    NOT NULL,
                prev_hash BLOB    NOT NULL,
                hash      BLOB    NOT NULL
            );
            -- Guards against the node's own mistakes; the hash chain is what catches anyone else.
            CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
            CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
            """),
        new(2, "quarantine, peers, decisions, reasoning memory, API keys", """
            CREATE TABLE quarantine (
                id          BLOB    PRIMARY KEY,
                envelope    BLOB    NOT NULL,
                from_peer   TEXT    NOT NULL,
                received_at INTEGER NOT NULL,
                reason      TEXT
            ) WITHOUT ROWID;

            CREATE TABLE peers (
                node_id    TEXT    PRIMARY KEY,
                name       TEXT,
                tier       TEXT    NOT NULL DEFAULT 'unknown' CHECK (tier IN ('core', 'sandbox', 'external', 'unknown')),
                public_key BLOB,
                addresses  TEXT,
                source     TEXT    NOT NULL,
                first_seen INTEGER NOT NULL,
                last_seen  INTEGER NOT NULL,
                manifest   BLOB
            ) WITHOUT ROWID;

            CREATE TABLE decisions (
                id          TEXT    PRIMARY KEY,
                type        TEXT    NOT NULL,
                status      TEXT    NOT NULL,
                confidence  REAL    NOT NULL,
                created_at  INTEGER NOT NULL,
                decided_at  INTEGER,
                decided_by  TEXT,
                reason      TEXT,
                explanation BLOB    NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX decisions_status ON decisions (status, created_at);

            CREATE TABLE memory (
                id      INTEGER PRIMARY KEY,
                subject TEXT    NOT NULL,
                time    INTEGER NOT NULL,
                kind    TEXT    NOT NULL,
                content BLOB    NOT NULL
            );
            CREATE INDEX memory_subject_time ON memory (subject, time);
            CREATE INDEX memory_time ON memory (time);

            CREATE TABLE api_keys (
                id         TEXT    PRIMARY KEY,
                hash       BLOB    NOT NULL,
                scope      TEXT    NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
                name       TEXT,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER
            ) WITHOUT ROWID;
            """),
        new(3, "static peers", """
            -- Peers added by hand by address; node_id is learnt on first contact (or given).
            CREATE TABLE static_peers (
                address  TEXT    PRIMARY KEY,
                node_id  TEXT,
                name     TEXT,
                added_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        new(4, "corrupt packet marks", """
            -- Why a stored packet's bytes no longer verify (found by a scrub, the read path, or a restore
            -- told to keep such packets); NULL while it is sound. A marked packet is kept, never served or synced.
            ALTER TABLE packets ADD COLUMN corrupt TEXT;
            CREATE INDEX packets_corrupt ON packets (seq) WHERE corrupt IS NOT NULL;
            """),
        new(5, "peer manifests, key rotations, retired peers", """
            -- The newest verified manifest (DSSE envelope bytes as received) of each registered peer;
            -- strangers' manifests stay in memory. issued_at is the manifest's, Unix ms; an older one is refused.
            CREATE TABLE peer_manifests (
                node_id     TEXT    PRIMARY KEY,
                envelope    BLOB    NOT NULL,
                issued_at   INTEGER NOT NULL,
                cert_sha256 BLOB    NOT NULL CHECK (length(cert_sha256) = 32),
                seen_at     INTEGER NOT NULL
            ) WITHOUT ROWID;

            -- Key rotations accepted: old_id moved to new_id (the statement, signed by both keys, is kept for ever).
            -- One per old id: a different statement for it later is a conflict, never a replacement.
            CREATE TABLE peer_rotations (
                old_id      TEXT    PRIMARY KEY,
                new_id      TEXT    NOT NULL,
                statement   BLOB    NOT NULL,
                accepted_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            -- Competing rotations refused and reported, so each is reported (and demotes) once.
            CREATE TABLE peer_rotation_conflicts (
                old_id    TEXT    NOT NULL,
                new_id    TEXT    NOT NULL,
                statement BLOB    NOT NULL,
                seen_at   INTEGER NOT NULL,
                PRIMARY KEY (old_id, new_id)
            ) WITHOUT ROWID;

            -- The id a peer rotated to; NULL while it is current. A retired id is never linked with again.
            ALTER TABLE peers ADD COLUMN retired_to TEXT;
            """),
        new(6, "own key rotations", """
            -- This node's own rotation statements (old id to new id, signed by both keys), kept for ever:
            -- peers carry trust along the chain that ends at the current id. A row is written when a
            -- rotation is asked for (the new key waits in identity.key.next); applied_at is set at the
            -- start that made the new key identity.key. One rotation per old id, one per new id.
            CREATE TABLE own_rotations (
                old_id     TEXT    PRIMARY KEY,
                new_id     TEXT    NOT NULL UNIQUE,
                statement  BLOB    NOT NULL,
                created_at INTEGER NOT NULL,
                applied_at INTEGER
            ) WITHOUT ROWID;
            """),
        new(7, "sync: packet scopes, retractions, author keys, rejected packets, sync cursors", """
            -- A packet's share scope (packet.proto ShareScope: 1 LOCAL, 2 CORE, 3 SHAREABLE), what views it is in.
            -- NULL for packets stored before this step until the node indexes them at start: in no view till then.
            ALTER TABLE packets ADD COLUMN scope INTEGER CHECK (scope IN (1, 2, 3));
            -- Reconciliation walks a view in the order both sides share: the signed HLC, then the id.
            CREATE INDEX packets_order ON packets (hlc, id);

            -- Ids retracted, and by whom: kept for ever, checked on every ingest path. A retraction removes its
            -- target only when the target's author made it (or a key the author rotated to); the row is kept
            -- either way, so a target that arrives after its retraction is refused.
            CREATE TABLE retractions (
                target     BLOB    NOT NULL CHECK (length(target) = 32),
                author     TEXT    NOT NULL,
                retraction BLOB    NOT NULL,
                at         INTEGER NOT NULL,
                PRIMARY KEY (target, author)
            ) WITHOUT ROWID;

            -- Authors' public keys (self-certifying: the node id is the key's hash), so packets relayed by a peer
            -- from a node never met here still verify.
            CREATE TABLE author_keys (
                node_id    TEXT    PRIMARY KEY,
                public_key BLOB    NOT NULL CHECK (length(public_key) = 32),
                first_seen INTEGER NOT NULL
            ) WITHOUT ROWID;

            -- Packets a guardian (or governance) rejected out of quarantine: not taken again from any peer.
            CREATE TABLE rejected_packets (
                id          BLOB    PRIMARY KEY CHECK (length(id) = 32),
                from_peer   TEXT,
                rejected_at INTEGER NOT NULL,
                rejected_by TEXT    NOT NULL
            ) WITHOUT ROWID;

            -- How far this node has scanned each peer's store: (the peer's epoch, its receive sequence), for the view
            -- the peer serves us (the lowest scope it sent). Saved only after what it covers is committed.
            CREATE TABLE sync_cursors (
                peer       TEXT    PRIMARY KEY,
                view_scope INTEGER NOT NULL,
                epoch      BLOB    NOT NULL,
                seq        INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        new(8, "governance: decision subjects, promoted packets", """
            -- What a decision is about (a market subject, or for a promotion the packet id in hex), so a
            -- guardian's verdict on it can be carried out. Decisions made before schema 8 have none.
            ALTER TABLE decisions ADD COLUMN subject TEXT;
            CREATE INDEX decisions_subject ON decisions (type, subject) WHERE subject IS NOT NULL;

            -- Packets promoted out of quarantine, and by whom: with rejected_packets, a sandbox peer's record
            -- with guardians, which governance weighs. Promotions before schema 8 are only in the event log.
            CREATE TABLE promoted_packets (
                id          BLOB    PRIMARY KEY CHECK (length(id) = 32),
                from_peer   TEXT    NOT NULL,
                promoted_at INTEGER NOT NULL,
                promoted_by TEXT    NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX promoted_packets_peer ON promoted_packets (from_peer);
            CREATE INDEX rejected_packets_peer ON rejected_packets (from_peer);
            CREATE INDEX quarantine_peer ON quarantine (from_peer);
            """),
    ];

    /// <summary>The schema version this build writes and reads.</summary>
    public static int Latest => All[^1].Version;
}
