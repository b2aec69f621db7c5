using System.Text.Json;
using System.Threading.Channels;
using Grpc.Core;
using Node.Protocol.Api;
using Node.Storage;
using Node.Storage.Backup;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;

namespace Node.Daemon.Api;

/// <summary><c>sovereign.api.v1.BackupService</c>: online backups, one at a time, with progress.</summary>
// A singleton (gRPC services are per call by default): one backup at a time on the node.
internal sealed class BackupApi(NodeStore store) : BackupService.BackupServiceBase, IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public override async Task Create(CreateBackupRequest request, IServerStreamWriter<Protocol.Api.BackupProgress> responseStream, ServerCallContext context)
    {
        var path = ApiArguments.Text("path", request.Path, 4096);
        if (!Path.IsPathFullyQualified(path))
        {
            throw ApiErrors.InvalidArgument("path", "must be absolute (it is a path on the node's machine)");
        }

        if (Path.GetDirectoryName(path) is not { } directory)
        {
            throw ApiErrors.InvalidArgument("path", $"{path} is a directory, not a file name");
        }

        if (!Directory.Exists(directory))
        {
            throw ApiErrors.FailedPrecondition($"The directory of {path} does not exist.");
        }

        if (File.Exists(path) || Directory.Exists(path))
        {
            throw ApiErrors.AlreadyExists($"{path} already exists; a backup is always a new file.");
        }

        if (!await _one.WaitAsync(TimeSpan.Zero, context.CancellationToken).ConfigureAwait(false))
        {
            throw ApiErrors.FailedPrecondition("A backup is already being made; wait for it to finish.");
        }

        Task<BackupInfo>? copy = null;
        try
        {
            // The copy reports from its own thread; only the newest progress is kept for the stream.
            var updates = Channel.CreateBounded<Storage.Backup.BackupProgress>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
            copy = Task.Run(async () =>
            {
                try
                {
                    return await StoreBackup.CreateAsync(store, path, new Reporter(updates.Writer), context.CancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    updates.Writer.TryComplete();
                }
            }, context.CancellationToken);
            await foreach (var update in updates.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(new Protocol.Api.BackupProgress { PagesDone = update.PagesDone, PagesTotal = update.PagesTotal })
                    .ConfigureAwait(false);
            }

            BackupInfo info;
            try
            {
                info = await copy.ConfigureAwait(false);
            }
            catch (UnauthorizedAccessException)
            {
                throw ApiErrors.FailedPrecondition($"The node's user may not write {path}; choose a directory it can write.");
            }
            catch (IOException ex)
            {
                throw ApiErrors.FailedPrecondition($"The backup to {path} failed: {ex.Message}");
            }

            await responseStream.WriteAsync(new Protocol.Api.BackupProgress { PagesDone = 1, PagesTotal = 1, Result = ToApi(info) }).ConfigureAwait(false);
        }
        finally
        {
            // A cancelled call must not let a second backup start while this copy still runs.
            if (copy is not null)
            {
                await Task.WhenAny(copy).ConfigureAwait(false);
            }

            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();

    public override Task<BackupStatus> GetStatus(GetBackupStatusRequest request, ServerCallContext context)
    {
        EventEntry? last;
        using (var reader = store.OpenReader())
        {
            last = reader.Events.LastOfKind(EventKinds.BackupCreated);
        }

        if (last is null || !last.TryRead<BackupCreatedEvent>(out var made))
        {
            return Task.FromResult(new BackupStatus());
        }

        try
        {
            return Task.FromResult(new BackupStatus { Last = ToApi(StoreBackup.Read(made.Path)) });
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // Moved or removed since: what the log recorded is all there is.
            return Task.FromResult(new BackupStatus
            {
                Last = new BackupResult { Path = made.Path, CreatedAt = last.Time, EventHeadSeq = made.Head },
            });
        }
    }

    private static BackupResult ToApi(BackupInfo info) => new()
    {
        Path = info.Path,
        CreatedAt = info.CreatedAt,
        SchemaVersion = info.SchemaVersion,
        EventHeadSeq = info.EventHeadSeq,
        EventHeadHash = Convert.ToHexStringLower(info.EventHeadHash),
        Packets = info.Packets,
        Bytes = info.Bytes,
    };

    private sealed class Reporter(ChannelWriter<Storage.Backup.BackupProgress> writer) : IProgress<Storage.Backup.BackupProgress>
    {
        public void Report(Storage.Backup.BackupProgress value) => writer.TryWrite(value);
    }
}
