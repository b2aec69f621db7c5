// Loading the book at start and persisting registered peers' manifests, off the caller's path.
using Node.Federation.Peers;
using Node.Storage.Peers;

namespace Node.Federation.Identity;

public sealed partial class ManifestBook
{
    // Under the lock: the issued-at of the newest manifest of each id written (or found not to be
    // registered when it was to be written), so each manifest is written at most once.
    private readonly Dictionary<NodeId, long> _persisted = [];
    private readonly HashSet<NodeId> _dirty = [];
    private Task _flush = Task.CompletedTask;
    private bool _flushing;

    /// <summary>Waits until every manifest kept so far has been written (or its write has failed and been logged).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _flush;
        }
    }

    private void Load()
    {
        using var reader = _store.OpenReader();
        foreach (var (oldText, newText) in reader.Peers.Retirements())
        {
            if (NodeId.TryParse(oldText, out var old, out _) && NodeId.TryParse(newText, out var successor, out _))
            {
                _retired[old] = successor;
            }
        }

        foreach (var row in reader.PeerManifests.Manifests())
        {
            if (Reverify(row) is not { } manifest)
            {
                LogStoredManifestSkipped(_logger, row.NodeId);
                continue;
            }

            _persisted[manifest.NodeId] = row.IssuedAt;
            if (!_retired.ContainsKey(manifest.NodeId))
            {
                Install(manifest);
                Index(manifest);
            }
        }

        foreach (var row in reader.PeerManifests.Rotations())
        {
            if (NodeId.TryParse(row.OldId, out var old, out _) && NodeId.TryParse(row.NewId, out var successor, out _))
            {
                _rotations[old] = successor;
            }
        }

        foreach (var row in reader.PeerManifests.RotationConflicts())
        {
            if (NodeId.TryParse(row.OldId, out var old, out _) && NodeId.TryParse(row.NewId, out var competing, out _))
            {
                _reportedConflicts[(old, competing)] = 0;
            }
        }
    }

    // A stored manifest is checked again in full, as of the moment it was issued: its expiry does not
    // matter here (an expired manifest still says what is older), its signature and its columns do.
    private static KnownManifest? Reverify(PeerManifestRow row)
    {
        var check = PeerManifests.Verify(row.Envelope, new AtInstant(DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(0, row.IssuedAt))));
        return check.IsValid && check.NodeId.ToString() == row.NodeId && check.Manifest!.IssuedAt == row.IssuedAt
            && check.Manifest.TlsCertificateSha256.Span.SequenceEqual(row.CertificateSha256)
            ? Entry(check.NodeId, check, row.Envelope)
            : null;
    }

    // Under the lock.
    private void MarkDirty(NodeId id)
    {
        _dirty.Add(id);
        if (!_flushing)
        {
            _flushing = true;
            _flush = Task.Run(FlushLoopAsync);
        }
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<KnownManifest> batch;
            lock (_gate)
            {
                batch = [.. _dirty.Select(id => _current.GetValueOrDefault(id)).OfType<KnownManifest>()];
                _dirty.Clear();
                if (batch.Count == 0)
                {
                    _flushing = false;
                    return;
                }
            }

            try
            {
                await _store.Writer.WriteAsync(context =>
                {
                    foreach (var manifest in batch)
                    {
                        var id = manifest.NodeId.ToString();
                        // The registry decides, inside the write: a peer forgotten meanwhile gets no row.
                        if (context.Peers.TierOf(id) is null || context.Peers.RetiredTo(id) is not null)
                        {
                            continue;
                        }

                        context.PeerManifests.Store(new PeerManifestRow(id, manifest.Envelope.ToArray(), manifest.Manifest.IssuedAt,
                            manifest.CertificateSha256.ToArray(), context.Now));
                        context.Peers.SetPublicKey(id, manifest.Manifest.PublicKey.ToByteArray());
                    }
                }).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The book in memory is right; only a restart would forget these. The next newer manifest tries again.
                LogPersistFailed(_logger, batch.Count, ex);
            }

            lock (_gate)
            {
                foreach (var manifest in batch)
                {
                    _persisted[manifest.NodeId] = Math.Max(_persisted.GetValueOrDefault(manifest.NodeId, long.MinValue), manifest.Manifest.IssuedAt);
                }
            }
        }
    }

    private sealed class AtInstant(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
