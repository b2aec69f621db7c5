// Applying a rotation at start, whatever state a crash left the files in.
using Microsoft.Extensions.Logging;
using Node.Storage;
using Node.Storage.Events.Payloads;
using Node.Storage.Identity;

namespace Node.Federation.Identity;

public sealed partial class IdentityRotation
{
    /// <summary>
    /// At start, with the store open: applies a rotation that waits, then reads the statements the
    /// node sends. The states a crash can leave, and what is made of them:
    /// <list type="bullet">
    /// <item><c>identity.key.next.new</c> (a key being written): removed; nothing was recorded.</item>
    /// <item><c>identity.key.next</c> with no statement recorded from the current id to it (the request
    /// stopped between the two writes), or unreadable: destroyed; the node keeps its id.</item>
    /// <item><c>identity.key.next</c> with its statement: renamed over <c>identity.key</c> (one atomic,
    /// fsynced rename: the old key or the new one, never neither), then the old key's bytes are
    /// overwritten through a handle opened before the rename.</item>
    /// <item>the statement to the current id not yet marked applied (a crash after the rename): marked,
    /// and <c>identity.rotated</c> appended, in one write.</item>
    /// <item>a statement from the current id with no key waiting (the key file was removed by hand):
    /// abandoned; it was never sent, so it is deleted.</item>
    /// </list>
    /// </summary>
    /// <param name="loaded">The identity loaded from <c>identity.key</c>; disposed here when a rotation replaces it.</param>
    /// <param name="store">The open store.</param>
    /// <param name="logger">Where the one line per change goes.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The node's identity from now on, with its <see cref="IdentityHost.Rotations"/>.</returns>
    /// <exception cref="IdentityException">The rename could not be made (the old identity stays, the new key still waits; the message says so).</exception>
    public static async Task<IdentityHost> OpenAsync(IdentityHost loaded, NodeStore store, ILogger<IdentityRotation> logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logger);
        var keyPath = Path.Combine(loaded.Directory, NodeIdentity.FileName);
        var pendingPath = Path.Combine(loaded.Directory, PendingFileName);
        Destroy(pendingPath + ".new");

        var rows = ReadAll(store);
        var identity = loaded.Identity;
        NodeIdentity? rotated = null;
        if (File.Exists(pendingPath))
        {
            rotated = Promote(identity, rows, keyPath, pendingPath, logger);
            identity = rotated ?? identity;
        }

        try
        {
            var id = identity.Id.ToString();
            var applied = rows.FirstOrDefault(r => r.NewId == id && r.AppliedAt is null);
            var abandoned = rotated is null ? rows.FirstOrDefault(r => r.OldId == id && r.AppliedAt is null) : null;
            if (applied is not null || abandoned is not null)
            {
                var done = applied is null ? null : new IdentityRotatedEvent(applied.OldId, id);
                await store.Writer.WriteAsync(c =>
                {
                    if (done is not null && c.OwnRotations.MarkApplied(id, c.Now))
                    {
                        c.AppendEvent(done);
                    }

                    if (abandoned is not null)
                    {
                        c.OwnRotations.DeleteUnapplied(abandoned.OldId);
                    }
                }, cancellationToken).ConfigureAwait(false);
                if (applied is not null)
                {
                    LogRotated(logger, applied.OldId, id);
                }

                if (abandoned is not null)
                {
                    LogAbandoned(logger, abandoned.OldId, abandoned.NewId, pendingPath);
                }

                rows = ReadAll(store);
            }

            var history = Chain(rows, id, int.MaxValue);
            return history.Count == 0 && rotated is null
                ? loaded
                : loaded.With(identity, [.. history.TakeLast(MaxSent).Select(r => r.Statement)], history.Select(r => r.OldId));
        }
        catch
        {
            rotated?.Dispose();
            throw;
        }
        finally
        {
            if (rotated is not null)
            {
                loaded.Dispose();
            }
        }
    }

    // The waiting key becomes identity.key when its statement is recorded; otherwise it is destroyed.
    // Returns the new identity, or null when the node keeps the one it has.
    private static NodeIdentity? Promote(NodeIdentity current, IReadOnlyList<OwnRotationRow> rows, string keyPath, string pendingPath,
        ILogger logger)
    {
        NodeIdentity? next = null;
        string? problem;
        try
        {
            next = NodeIdentity.LoadFile(pendingPath);
            var row = rows.FirstOrDefault(r => r.OldId == current.Id.ToString() && r.AppliedAt is null);
            var check = row is null ? default : KeyRotations.Verify(row.Statement);
            problem = row is null ? "no rotation from the current id is recorded (the request was interrupted before it completed)"
                : row.NewId != next.Id.ToString() ? $"the rotation recorded goes to {row.NewId}, not to this key's {next.Id}"
                : !check.IsValid || check.OldId != current.Id || check.NewId != next.Id ? $"its statement does not hold ({check.Detail ?? "other ids"})"
                : null;
        }
        catch (IdentityException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            next?.Dispose();
            Destroy(pendingPath);
            LogPendingDiscarded(logger, pendingPath, current.Id, problem);
            return null;
        }

        // Opened before the rename, so the old key's bytes can still be overwritten once the name is the new key's.
        FileStream? old = null;
        try
        {
            old = new FileStream(keyPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogOldKeyNotOverwritten(logger, current.Id, ex.Message);
        }

        using (old)
        {
            try
            {
                Durable.Rename(pendingPath, keyPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                var to = next!.Id;
                next.Dispose();
                throw new IdentityException(
                    $"The key rotation of {current.Id} to {to} cannot be applied: {ex.Message}. {keyPath} is unchanged and {pendingPath} still waits; " +
                    "fix the problem (a read-only or full file system?) and start the node again.", ex);
            }

            try
            {
                if (old is not null)
                {
                    Overwrite(old);
                }
            }
            catch (IOException ex)
            {
                LogOldKeyNotOverwritten(logger, current.Id, ex.Message);
            }
        }

        return next;
    }

    private static IReadOnlyList<OwnRotationRow> ReadAll(NodeStore store)
    {
        using var reader = store.OpenReader();
        return reader.OwnRotations.All();
    }
}
