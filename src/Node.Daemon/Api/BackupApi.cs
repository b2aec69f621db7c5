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
    // What .NET puts in an IOException's HResult on Linux: the errno (EROFS, ENOSPC).
    private const int ReadOnlyFileSystem = 30;
    private const int NoSpace = 28;

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
            throw File.Exists(directory)
                ? ApiErrors.FailedPrecondition($"{directory} is a file, not a directory: no backup can be made in it.")
                : ApiErrors.FailedPrecondition($"The directory of {path} does not exist.");
        }

        if (Directory.Exists(path))
        {
            throw ApiErrors.AlreadyExists($"{path} is a directory; give the name of a new file in it (a backup is always a new file).");
        }

        if (File.Exists(path))
        {
            throw ApiErrors.AlreadyExists($"{path} already exists; a backup is always a new file.");
        }

        TryCreate(path, directory);

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
            catch (IOException ex) when (ex.HResult == NoSpace)
            {
                throw ApiErrors.ResourceExhausted($"The disk of {directory} filled up during the backup; nothing was kept. Free space there, or choose another place.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw CannotWrite(path, directory, ex);
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

    // Makes the file, and removes it, before the copy starts: the system says why it cannot be
    // made, where SQLite would only say "unable to open database file".
    private static void TryCreate(string path, string directory)
    {
        try
        {
            using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(path, directory, ex);
        }
    }

    /// <summary>Why the node cannot write a backup to <paramref name="path"/> in <paramref name="directory"/>, from what the system said.</summary>
    internal static RpcException CannotWrite(string path, string directory, Exception ex) => ex switch
    {
        UnauthorizedAccessException => ApiErrors.FailedPrecondition(
            $"Permission denied: the node's user ({Environment.UserName}) may not create {path}; choose a directory it may write to."),
        PathTooLongException => ApiErrors.InvalidArgument("path", $"{path} is longer than the file system takes (a name is at most 255 bytes)"),
        DirectoryNotFoundException => ApiErrors.FailedPrecondition($"The directory of {path} does not exist."),
        IOException { HResult: ReadOnlyFileSystem } => ApiErrors.FailedPrecondition(
            $"{directory} is on a read-only file system; choose another place for the backup."),
        IOException { HResult: NoSpace } => ApiErrors.ResourceExhausted($"The disk of {directory} is full; free space there, or choose another place."),
        _ when File.Exists(path) || Directory.Exists(path) => ApiErrors.AlreadyExists($"{path} already exists; a backup is always a new file."),
        _ => ApiErrors.FailedPrecondition($"The backup to {path} failed: {ex.Message}"),
    };

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
