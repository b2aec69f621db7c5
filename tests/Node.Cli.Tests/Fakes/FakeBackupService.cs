using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>BackupService: streams a few progress steps, then the result; remembers it as the last backup.</summary>
public sealed class FakeBackupService : BackupService.BackupServiceBase
{
    public Recorder<CreateBackupRequest> Creates { get; } = new();

    /// <summary>Pages done of 4, sent before the result.</summary>
    public IReadOnlyList<long> Steps { get; set; } = [1, 2, 4];

    /// <summary>Whether the stream ends without a result (a node that broke off).</summary>
    public bool WithoutResult { get; set; }

    public BackupResult? Last { get; set; }

    public override async Task Create(CreateBackupRequest request, IServerStreamWriter<BackupProgress> responseStream, ServerCallContext context)
    {
        Creates.Add(request);
        foreach (var done in Steps)
        {
            await responseStream.WriteAsync(new BackupProgress { PagesDone = done, PagesTotal = 4 }, context.CancellationToken);
        }

        if (WithoutResult)
        {
            return;
        }

        Last = new BackupResult
        {
            Path = request.Path, CreatedAt = FakeKnowledgeService.Epoch, SchemaVersion = 3, EventHeadSeq = 1290,
            EventHeadHash = new string('a', 64), Packets = 1204, Bytes = 16384,
        };
        await responseStream.WriteAsync(new BackupProgress { PagesDone = 4, PagesTotal = 4, Result = Last }, context.CancellationToken);
    }

    public override Task<BackupStatus> GetStatus(GetBackupStatusRequest request, ServerCallContext context) =>
        Task.FromResult(new BackupStatus { Last = Last });
}
