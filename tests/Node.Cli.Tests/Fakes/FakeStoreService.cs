using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>StoreService: a scrub reply to give (clean unless set), and the deadline each call came with.</summary>
public sealed class FakeStoreService : StoreService.StoreServiceBase
{
    public ScrubReply Reply { get; set; } = new() { Checked = 1204 };

    public Recorder<DateTime> Deadlines { get; } = new();

    public override Task<ScrubReply> Scrub(ScrubRequest request, ServerCallContext context)
    {
        Deadlines.Add(context.Deadline);
        return Task.FromResult(Reply);
    }
}
