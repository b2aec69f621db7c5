using Microsoft.Extensions.Logging;
using Node.Daemon.Configuration;
using Node.Daemon.Health;
using Node.Federation.Identity;
using Node.Federation.Link.Tls;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Writing;
using Node.Storage.Events.Payloads;

namespace Node.Daemon.Lifecycle;

/// <summary>
/// What a node runs on, opened before its host is built: the store (checked, migrated, its writer
/// reporting to the watchdog's loops), the identity and the peer link's certificate. Every service gets them at construction;
/// none waits for another to have started first. Disposed after the host, so the store closes last.
/// </summary>
public sealed partial class NodeState : IAsyncDisposable
{
    private NodeState(NodeStore store, IdentityHost identity, PeerCertificate certificate, CriticalLoops loops)
    {
        Store = store;
        Identity = identity;
        Certificate = certificate;
        Loops = loops;
    }

    /// <summary>The open store.</summary>
    public NodeStore Store { get; }

    /// <summary>The node's identity.</summary>
    public IdentityHost Identity { get; }

    /// <summary>The peer link's TLS certificate (its hash is in the node's manifest).</summary>
    public PeerCertificate Certificate { get; }

    /// <summary>The watchdog's registry of critical loops (the store writer is the first).</summary>
    public CriticalLoops Loops { get; }

    /// <summary>
    /// Loads the identity in the data directory and opens the store beside it; on a first start,
    /// creates the store, then the identity. A directory that holds an identity must hold its store
    /// too: a missing or empty one is refused rather than silently replaced by an empty store.
    /// </summary>
    /// <exception cref="StoreOpenException">The store cannot be used (damaged, locked, newer, missing where it must exist…).</exception>
    /// <exception cref="IdentityException">The identity key cannot be used.</exception>
    public static async Task<NodeState> OpenAsync(ResolvedSettings settings, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        var directory = settings.Node.DataDirectory;
        // Checked before anything is opened or made (the store checks its own files the same way):
        // a refused start leaves the directory as it was.
        NodeIdentity.RefuseSpecialFiles(directory);
        var loops = new CriticalLoops(time);
        var writerLoop = loops.Register("store-writer");
        var identityLogger = loggers.CreateLogger<IdentityHost>();
        // An identity there is checked first (its key's problems are the ones to hear of), and then
        // demands its store; a new one is made only once the store is open, to record it.
        var identity = IdentityHost.Exists(directory) ? IdentityHost.LoadOrCreate(directory, identityLogger) : null;
        NodeStore? store = null;
        try
        {
            store = NodeStore.Open(directory, settings.Store, time, loggers.CreateLogger<NodeStore>(),
                new WriterHeartbeat(writerLoop.Beat, writerLoop.Idle), mustExist: identity is not null);
            identity ??= IdentityHost.LoadOrCreate(directory, identityLogger);
            // A rotation asked for while the node last ran takes effect now, before anything names the node.
            identity = await IdentityRotation.OpenAsync(identity, store, loggers.CreateLogger<IdentityRotation>(), cancellationToken).ConfigureAwait(false);
            if (identity.Created)
            {
                var created = new IdentityCreatedEvent(identity.Identity.Id.ToString());
                await store.Writer.WriteAsync(c => c.AppendEvent(created), cancellationToken).ConfigureAwait(false);
            }

            var (certificate, renewed) = PeerCertificate.LoadOrCreate(directory, time);
            var logger = loggers.CreateLogger<NodeState>();
            if (renewed == PeerCertificate.FirstStart)
            {
                LogCertificateCreated(logger, certificate.Fingerprint);
            }
            else if (renewed is not null)
            {
                LogCertificateRenewed(logger, certificate.Fingerprint, renewed);
            }

            return new NodeState(store, identity, certificate, loops);
        }
        catch
        {
            identity?.Dispose();
            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Closes the store (after its queued writes) and forgets the key.</summary>
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync().ConfigureAwait(false);
        Identity.Dispose();
        Certificate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer link certificate made: sha256 {Fingerprint}.")]
    private static partial void LogCertificateCreated(ILogger logger, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer link certificate made anew, sha256 {Fingerprint}: {Reason}. Peers learn it from the node's next manifest.")]
    private static partial void LogCertificateRenewed(ILogger logger, string fingerprint, string reason);
}
