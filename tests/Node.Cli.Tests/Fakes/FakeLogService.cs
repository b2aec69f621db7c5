using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>LogService: a verification reply to give, and entries to tail (and follow).</summary>
public sealed class FakeLogService : LogService.LogServiceBase
{
    private readonly Lock _lock = new();
    private readonly List<LogEvent> _events = [];
    private readonly List<Channel<LogEvent>> _followers = [];
    private readonly TaskCompletionSource _following = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _tailEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeLogService()
    {
        for (var seq = 1; seq <= 30; seq++)
        {
            Append("packet.accepted", $$"""{"seq":{{seq}}}""");
        }
    }

    public VerifyLogReply Verification { get; set; } = new()
    {
        Intact = true, Verified = 30, HeadSeq = 30, HeadHash = ByteString.CopyFrom(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()),
    };

    public Recorder<TailLogRequest> Tails { get; } = new();

    /// <summary>Completes when a tail with follow has sent what was stored and waits for more.</summary>
    public Task Following => _following.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    /// <summary>Completes when a tail call has ended on the server.</summary>
    public Task TailEnded => _tailEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    public LogEvent Append(string kind, string payload)
    {
        lock (_lock)
        {
            var entry = new LogEvent
            {
                Seq = _events.Count + 1, Time = FakeKnowledgeService.Epoch + (_events.Count * 1000L), Kind = kind, Payload = payload,
                Hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(_events.Count))),
            };
            _events.Add(entry);
            foreach (var follower in _followers)
            {
                follower.Writer.TryWrite(entry);
            }

            return entry;
        }
    }

    public override Task<VerifyLogReply> Verify(VerifyLogRequest request, ServerCallContext context) => Task.FromResult(Verification);

    public override async Task Tail(TailLogRequest request, IServerStreamWriter<LogEvent> responseStream, ServerCallContext context)
    {
        Tails.Add(request);
        var news = Channel.CreateUnbounded<LogEvent>();
        List<LogEvent> first;
        lock (_lock)
        {
            first = request.AfterSeq > 0 ? [.. _events.Where(e => e.Seq > request.AfterSeq)] : [.. _events.TakeLast(request.Last > 0 ? request.Last : 20)];
            if (request.Follow)
            {
                _followers.Add(news);
            }
        }

        try
        {
            foreach (var entry in first)
            {
                await responseStream.WriteAsync(entry, context.CancellationToken);
            }

            if (!request.Follow)
            {
                return;
            }

            _following.TrySetResult();
            await foreach (var entry in news.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(entry, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_lock)
            {
                _followers.Remove(news);
            }

            _tailEnded.TrySetResult();
        }
    }
}
