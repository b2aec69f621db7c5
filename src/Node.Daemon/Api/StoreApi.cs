using Grpc.Core;
using Node.Federation.Packets;
using Node.Protocol.Api;

namespace Node.Daemon.Api;

/// <summary><c>sovereign.api.v1.StoreService</c>: the store's upkeep (a scrub of every stored packet, now).</summary>
internal sealed class StoreApi(PacketScrub scrub) : StoreService.StoreServiceBase
{
    public override async Task<ScrubReply> Scrub(ScrubRequest request, ServerCallContext context)
    {
        var report = await scrub.RunAsync(CallerName.Describe(context), context.CancellationToken).ConfigureAwait(false);
        var reply = new ScrubReply { Checked = report.Checked, Unverified = report.Unverified, Marked = report.Marked, Corrupt = report.Corrupt };
        reply.CorruptPackets.Add(report.CorruptPackets.Select(p => new Protocol.Api.CorruptPacket
        {
            Id = Convert.ToHexStringLower(p.Id),
            Seq = p.Seq,
            Reason = p.Reason,
        }));
        return reply;
    }
}
