using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Node.Protocol.Api;
using Node.Protocol.Packets;

namespace Node.Cli.Tests.Fakes;

/// <summary>KnowledgeService over a list: put, get by id or slot, list with filters and pages, watch.</summary>
public sealed class FakeKnowledgeService : KnowledgeService.KnowledgeServiceBase
{
    /// <summary>Receive times: 2026-11-24 13:21:36Z plus a second per sequence.</summary>
    public const long Epoch = 1_795_526_496_000;

    private readonly Lock _lock = new();
    private readonly List<KnowledgePacket> _packets = [];
    private readonly List<Channel<KnowledgePacket>> _watchers = [];
    private readonly TaskCompletionSource _watching = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _watchEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Recorder<PutKnowledgeRequest> Puts { get; } = new();
    public Recorder<GetKnowledgeRequest> Gets { get; } = new();
    public Recorder<ListKnowledgeRequest> Lists { get; } = new();
    public Recorder<WatchKnowledgeRequest> Watches { get; } = new();

    /// <summary>Completes when a watcher is subscribed (and has been sent what it asked to replay).</summary>
    public Task Watching => _watching.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    /// <summary>Completes when a watch call has ended on the server (the client cancelled it).</summary>
    public Task WatchEnded => _watchEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    public IReadOnlyList<KnowledgePacket> Packets
    {
        get
        {
            lock (_lock)
            {
                return [.. _packets];
            }
        }
    }

    /// <summary>Stores a packet as if it had arrived, and tells the watchers.</summary>
    public KnowledgePacket Add(string topic, string key, string content, PacketKind kind = PacketKind.Note,
        string mediaType = "text/plain; charset=utf-8", string author = FakeNode.NodeId) =>
        Store(topic, key, kind, mediaType, Encoding.UTF8.GetBytes(content), author, ShareScope.Local, [], []);

    public override Task<PutKnowledgeReply> Put(PutKnowledgeRequest request, ServerCallContext context)
    {
        Puts.Add(request);
        if (Encoding.UTF8.GetByteCount(request.Topic) > 256)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "topic: at most 256 bytes"));
        }

        var packet = Store(request.Topic, request.Key, request.Kind == PacketKind.Unspecified ? PacketKind.Note : request.Kind,
            request.MediaType.Length > 0 ? request.MediaType : "text/plain; charset=utf-8", request.Content.ToByteArray(), FakeNode.NodeId,
            request.Scope == ShareScope.Unspecified ? ShareScope.Local : request.Scope, request.Dependencies, request.Supersedes);
        return Task.FromResult(new PutKnowledgeReply { Id = packet.Id, Seq = packet.Seq, Created = true });
    }

    public override Task<KnowledgePacket> Get(GetKnowledgeRequest request, ServerCallContext context)
    {
        Gets.Add(request);
        var packets = Packets;
        var found = request.SelectorCase == GetKnowledgeRequest.SelectorOneofCase.Id
            ? packets.FirstOrDefault(p => p.Id == request.Id)
            : packets.LastOrDefault(p => p.Topic == request.Slot.Topic && p.Key == request.Slot.Key);
        return found is not null
            ? Task.FromResult(found)
            : throw new RpcException(new Status(StatusCode.NotFound, request.SelectorCase == GetKnowledgeRequest.SelectorOneofCase.Id
                ? $"packet {request.Id} not found"
                : $"slot {request.Slot.Topic}/{request.Slot.Key} has no current value"));
    }

    public override Task<ListKnowledgeReply> List(ListKnowledgeRequest request, ServerCallContext context)
    {
        Lists.Add(request);
        var matching = Packets.Where(p =>
            (request.Topic.Length == 0 || p.Topic == request.Topic) && (request.Key.Length == 0 || p.Key == request.Key) &&
            (request.Kind == PacketKind.Unspecified || p.Kind == request.Kind) && (request.Author.Length == 0 || p.Author == request.Author)).ToList();
        var start = request.PageToken.Length > 0 ? int.Parse(request.PageToken, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var size = request.PageSize > 0 ? request.PageSize : 100;
        var reply = new ListKnowledgeReply { Packets = { matching.Skip(start).Take(size) } };
        reply.NextPageToken = start + size < matching.Count ? (start + size).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return Task.FromResult(reply);
    }

    public override async Task Watch(WatchKnowledgeRequest request, IServerStreamWriter<KnowledgePacket> responseStream, ServerCallContext context)
    {
        Watches.Add(request);
        var news = Channel.CreateUnbounded<KnowledgePacket>();
        List<KnowledgePacket> replay;
        lock (_lock)
        {
            _watchers.Add(news);
            replay = request.AfterSeq > 0 ? [.. _packets.Where(p => p.Seq > request.AfterSeq)] : [];
        }

        try
        {
            foreach (var packet in replay.Where(p => Matches(request, p)))
            {
                await responseStream.WriteAsync(packet, context.CancellationToken);
            }

            _watching.TrySetResult();
            await foreach (var packet in news.Reader.ReadAllAsync(context.CancellationToken))
            {
                if (Matches(request, packet))
                {
                    await responseStream.WriteAsync(packet, context.CancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(news);
            }

            _watchEnded.TrySetResult();
        }
    }

    public Recorder<RetractRequest> Retracts { get; } = new();
    public Recorder<ListQuarantineRequest> QuarantineLists { get; } = new();
    public Recorder<QuarantineVerdict> Promotes { get; } = new();
    public Recorder<QuarantineVerdict> Rejects { get; } = new();

    /// <summary>What waits in quarantine, oldest first.</summary>
    public List<QuarantinedPacket> Quarantine { get; } = [];

    /// <summary>Puts a packet from <see cref="FakePeerService.PeerId"/> in quarantine (not among <see cref="Packets"/>).</summary>
    public QuarantinedPacket Quarantined(string topic, string key, string content)
    {
        var packet = Store(topic, key, PacketKind.Note, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(content), FakePeerService.PeerId, ShareScope.Shareable, [], []);
        lock (_lock)
        {
            _packets.Remove(packet);
        }

        var held = new QuarantinedPacket { Packet = packet.Clone(), FromPeer = FakePeerService.PeerId, ReceivedAt = packet.ReceivedAt, Reason = "from a sandbox peer" };
        held.Packet.Seq = 0;
        Quarantine.Add(held);
        return held;
    }

    public override Task<PutKnowledgeReply> Retract(RetractRequest request, ServerCallContext context)
    {
        Retracts.Add(request);
        var target = Packets.FirstOrDefault(p => p.Id == request.Id)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No packet {request.Id} is stored here."));
        var retraction = Store(target.Topic, target.Key, PacketKind.Retraction, "text/plain; charset=utf-8", [], FakeNode.NodeId, target.Scope, [], [target.Id]);
        return Task.FromResult(new PutKnowledgeReply { Id = retraction.Id, Seq = retraction.Seq, Created = true });
    }

    public override Task<ListQuarantineReply> ListQuarantine(ListQuarantineRequest request, ServerCallContext context)
    {
        QuarantineLists.Add(request);
        var start = request.PageToken.Length > 0 ? int.Parse(request.PageToken, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var size = request.PageSize > 0 ? request.PageSize : 100;
        var reply = new ListQuarantineReply { Packets = { Quarantine.Skip(start).Take(size) } };
        reply.NextPageToken = start + size < Quarantine.Count ? (start + size).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return Task.FromResult(reply);
    }

    public override Task<KnowledgePacket> Promote(QuarantineVerdict request, ServerCallContext context)
    {
        Promotes.Add(request);
        var held = Take(request.Id);
        var packet = held.Packet.Clone();
        lock (_lock)
        {
            packet.Seq = _packets.Count + 1;
            _packets.Add(packet);
        }

        return Task.FromResult(packet);
    }

    public override Task<QuarantinedPacket> Reject(QuarantineVerdict request, ServerCallContext context)
    {
        Rejects.Add(request);
        return Task.FromResult(Take(request.Id));
    }

    private QuarantinedPacket Take(string id)
    {
        var held = Quarantine.FirstOrDefault(q => q.Packet.Id == id)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Packet {id} is not in quarantine (see 'nodectl knowledge list --quarantine')."));
        Quarantine.Remove(held);
        return held;
    }

    private static bool Matches(WatchKnowledgeRequest request, KnowledgePacket packet) =>
        (request.Topic.Length == 0 || packet.Topic == request.Topic) && (request.Kind == PacketKind.Unspecified || packet.Kind == request.Kind) &&
        (request.Author.Length == 0 || packet.Author == request.Author);

    private KnowledgePacket Store(string topic, string key, PacketKind kind, string mediaType, byte[] content, string author, ShareScope scope,
        IEnumerable<string> dependencies, IEnumerable<string> supersedes)
    {
        lock (_lock)
        {
            var seq = _packets.Count + 1;
            var time = Epoch + (seq * 1000L);
            var packet = new KnowledgePacket
            {
                Id = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes($"{topic}\n{key}\n{seq}\n"), .. content])),
                Seq = seq,
                Author = author,
                Topic = topic,
                Key = key,
                Kind = kind,
                MediaType = mediaType,
                Content = ByteString.CopyFrom(content),
                Hlc = ((ulong)time << 16) | 7,
                Time = time,
                ReceivedAt = time + 5,
                Dependencies = { dependencies },
                Supersedes = { supersedes },
                Scope = scope,
                Origin = author,
                Envelope = ByteString.CopyFrom(0x0a, 0x01, 0x78),
            };
            _packets.Add(packet);
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(packet);
            }

            return packet;
        }
    }
}
