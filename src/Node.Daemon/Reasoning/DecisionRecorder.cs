using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Federation.Clock;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Packets;
using Node.Storage;
using Node.Storage.Decisions;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;

namespace Node.Daemon.Reasoning;

/// <summary>
/// Records the decision matrix's decisions off the pipeline's thread: the <c>decisions</c> row and a
/// <c>decision.made</c> event in one transaction, then the decision packet (kind decision, topic
/// <c>decisions</c>, key the decision id, content the explanation chain as JSON), signed by this node.
/// </summary>
internal sealed partial class DecisionRecorder(NodeStore store, LocalPackets packets, IdentityHost identity, HybridClock clock,
    ILogger<DecisionRecorder> logger) : BackgroundService
{
    /// <summary>Decisions queued for recording at most; past it the pipeline waits.</summary>
    public const int Capacity = 4096;

    private readonly Channel<PendingDecision> _queue = Channel.CreateBounded<PendingDecision>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long _recorded;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next decision has been recorded (or failed to be); take it before checking <see cref="Recorded"/>.</summary>
    public Task NextRecorded => Volatile.Read(ref _next).Task;

    /// <summary>Decisions recorded since start.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    /// <summary>Queues a decision; completes once it is queued (not yet durable).</summary>
    public ValueTask EnqueueAsync(PendingDecision decision, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(decision, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var decision in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await RecordAsync(decision, stoppingToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _recorded);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRecordFailed(logger, decision.Id, decision.Type, e);
                }
                finally
                {
                    decision.Recorded?.TrySetResult();
                }

                Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RecordAsync(PendingDecision decision, CancellationToken cancellationToken)
    {
        await store.Writer.WriteAsync(context =>
        {
            var status = decision.AutoApproved ? DecisionStatuses.AutoApproved : DecisionStatuses.Pending;
            var created = decision.CreatedAt.ToUnixTimeMilliseconds();
            context.Decisions.Insert(new DecisionRecord(decision.Id, decision.Type, status, decision.Confidence, created,
                decision.AutoApproved ? created : null, decision.AutoApproved ? "auto" : null, decision.Reason,
                System.Text.Encoding.UTF8.GetString(decision.Explanation), decision.Subject));
            context.AppendEvent(new DecisionMadeEvent(decision.Id, decision.Type, status, decision.Confidence, decision.Subject));
        }, cancellationToken).ConfigureAwait(false);

        var body = new PacketBody
        {
            Author = identity.Identity.Id.ToString(),
            Topic = "decisions",
            Key = decision.Id,
            Kind = PacketKind.Decision,
            MediaType = "application/json",
            Content = ByteString.CopyFrom(decision.Explanation),
            Scope = ShareScope.Local,
            Hlc = clock.Now().Value,
        };
        var result = await packets.PutAsync(body, cancellationToken).ConfigureAwait(false);
        LogRecorded(logger, decision.Id, decision.Type, decision.AutoApproved ? DecisionStatuses.AutoApproved : DecisionStatuses.Pending,
            decision.Confidence, decision.Subject, result.Outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {Id} ({Type}) {Status} at confidence {Confidence:F3} on {Subject}; packet {Outcome}.")]
    private static partial void LogRecorded(ILogger logger, string id, string type, string status, double confidence, string subject, IntakeOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Decision {Id} ({Type}) could not be recorded.")]
    private static partial void LogRecordFailed(ILogger logger, string id, string type, Exception exception);
}

/// <summary>A decision the matrix made, waiting to be recorded.</summary>
/// <param name="Id">Its id (time-ordered).</param>
/// <param name="Type">Its decision type.</param>
/// <param name="AutoApproved">Whether the matrix approved it.</param>
/// <param name="Confidence">The confidence it was judged at.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="Reason">The matrix's reason, as a guardian reads it.</param>
/// <param name="Subject">What it is about: a market subject, or for a promotion the packet id in hex.</param>
/// <param name="Explanation">The explanation chain, JSON.</param>
/// <param name="Recorded">Completed once the recorder is done with it (recorded, or the failure logged); optional.</param>
internal sealed record PendingDecision(string Id, string Type, bool AutoApproved, double Confidence, DateTimeOffset CreatedAt,
    string Reason, string Subject, byte[] Explanation, TaskCompletionSource? Recorded = null);
