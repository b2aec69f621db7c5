using Microsoft.Extensions.Logging;
using Node.Federation.Link;
using Node.Storage;
using Node.Storage.Events.Payloads;
using Node.Storage.Identity;

namespace Node.Federation.Identity;

/// <summary>
/// Rotating this node's own key, on purpose (docs/protocol.md, "Rotating this node's key"). A request
/// makes the new key, has both keys sign the statement, writes the new key beside
/// <c>identity.key</c> as <c>identity.key.next</c> (0600, written whole and fsynced before it is
/// renamed into place) and then records the statement in the store. Nothing else changes while the
/// node runs: its id names its manifest, its mDNS instance, its packets and its links, so the new
/// key takes effect when the node next starts (<see cref="OpenAsync"/>), all at once. One rotation
/// may wait at a time. The new private key is never logged and never leaves its file.
/// </summary>
public sealed partial class IdentityRotation(IdentityHost identity, NodeStore store, TimeProvider time, ILogger<IdentityRotation> logger) : IDisposable
{
    /// <summary>The file the new key waits in until the next start, beside <c>identity.key</c>.</summary>
    public const string PendingFileName = NodeIdentity.FileName + ".next";

    /// <summary>How many statements a Hello carries: the newest, oldest first.</summary>
    public const int MaxSent = PeerLimits.MaxRotations;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The rotation from the current id waiting for the next start, or null.</summary>
    public OwnRotationRow? Pending()
    {
        using var reader = store.OpenReader();
        return reader.OwnRotations.From(identity.Identity.Id.ToString()) is { AppliedAt: null } row ? row : null;
    }

    /// <summary>Every rotation that led to the current id, oldest first (all of them, not only those sent).</summary>
    public IReadOnlyList<OwnRotationRow> History()
    {
        using var reader = store.OpenReader();
        return Chain(reader.OwnRotations.All(), identity.Identity.Id.ToString(), int.MaxValue);
    }

    /// <summary>
    /// Asks for a rotation: a new key, the statement signed by the current key and the new one,
    /// both kept; the new id takes effect at the next start. Refused (nothing changed) while one waits.
    /// </summary>
    /// <param name="by">Who asks, for the event log.</param>
    /// <param name="cancellationToken">Cancels the wait for another request; once the key is written the request completes.</param>
    /// <exception cref="IOException">The key file could not be written (nothing is recorded then).</exception>
    public async Task<RotationRequest> RequestAsync(string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = identity.Identity;
            if (Pending() is { } pending)
            {
                return new RotationRequest(RotationRequestOutcome.AlreadyPending, current.Id, Parse(pending.NewId), pending.CreatedAt);
            }

            var path = Path.Combine(identity.Directory, PendingFileName);
            using var next = NodeIdentity.CreateEphemeral();
            var statement = KeyRotations.Sign(current, next, time);
            var row = new OwnRotationRow(current.Id.ToString(), next.Id.ToString(), statement, time.GetUtcNow().ToUnixTimeMilliseconds(), null);
            // The key first, then the statement: a statement in the store always has its key on disk,
            // and a key left without one (a crash between) is destroyed at the next start.
            next.WriteKeyFile(path, path + ".new");
            try
            {
                // Not cancellable from here: a write that commits after its caller gave up would leave a
                // statement whose key was destroyed (harmless, abandoned at the next start, but confusing).
                var requested = new IdentityRotationRequestedEvent(row.OldId, row.NewId, by);
                await store.Writer.WriteAsync(c =>
                {
                    if (!c.OwnRotations.Insert(row))
                    {
                        throw new InvalidOperationException($"A rotation from {row.OldId} or to {row.NewId} is recorded already.");
                    }

                    c.AppendEvent(requested);
                }, CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                Destroy(path);
                throw;
            }

            LogRequested(logger, current.Id, next.Id, by);
            return new RotationRequest(RotationRequestOutcome.Pending, current.Id, next.Id, row.CreatedAt);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The statements of the chain that ends at <paramref name="current"/>: from the rotation to it
    /// backwards, at most <paramref name="max"/>, returned oldest first. Rotations from the current id
    /// (one waiting) and any not on the chain are left out.
    /// </summary>
    public static IReadOnlyList<OwnRotationRow> Chain(IReadOnlyList<OwnRotationRow> rows, string current, int max)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var byNew = new Dictionary<string, OwnRotationRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            byNew.TryAdd(row.NewId, row);
        }

        var chain = new List<OwnRotationRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { current };
        for (var id = current; chain.Count < max && byNew.TryGetValue(id, out var row) && seen.Add(row.OldId); id = row.OldId)
        {
            chain.Add(row);
        }

        chain.Reverse();
        return chain;
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static NodeId Parse(string id) => NodeId.TryParse(id, out var parsed, out _) ? parsed : default;

    // Overwrites a key file's bytes, fsyncs them and removes it: a key made for a rotation that is
    // not going ahead, or one replaced, must not stay readable. Best effort on flash storage, whose
    // wear levelling may keep old blocks; the state directory is on an encrypted volume for that.
    internal static void Destroy(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            Overwrite(file);
        }

        File.Delete(path);
        Durable.FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    private static void Overwrite(FileStream file)
    {
        var length = file.Length;
        file.Position = 0;
        Span<byte> zeros = stackalloc byte[512];
        zeros.Clear();
        for (long done = 0; done < length; done += zeros.Length)
        {
            file.Write(zeros[..(int)Math.Min(zeros.Length, length - done)]);
        }

        file.Flush(flushToDisk: true);
    }
}
