using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Node.Protocol.Api;
using Node.Storage;
using Node.Storage.Events;

namespace Node.Daemon.Api;

/// <summary><c>sovereign.api.v1.LogService</c>: the event log.</summary>
internal sealed class LogApi(NodeStore store, IHostApplicationLifetime lifetime) : LogService.LogServiceBase
{
    /// <summary>Most of the newest entries a tail sends first (<c>last</c>); <c>after_seq</c> sends every later one.</summary>
    public const int MaxTail = 10_000;

    public override Task<VerifyLogReply> Verify(VerifyLogRequest request, ServerCallContext context)
    {
        ChainVerification result = store.VerifyEventLog();
        long corrupt;
        using (var reader = store.OpenReader())
        {
            corrupt = reader.Packets.CorruptCount();
        }

        return Task.FromResult(new VerifyLogReply
        {
            CorruptPackets = corrupt,
            Intact = result.IsIntact,
            Verified = result.Verified,
            HeadSeq = result.HeadSeq,
            HeadHash = ByteString.CopyFrom(result.HeadHash),
            FirstBadSeq = result.FirstBadSeq ?? 0,
            Problem = result.Problem ?? "",
        });
    }

    public override async Task Tail(TailLogRequest request, IServerStreamWriter<LogEvent> responseStream, ServerCallContext context)
    {
        if (request.Last is < 0 or > MaxTail)
        {
            throw ApiErrors.InvalidArgument("last", $"must be from 1 to {MaxTail} (0 for 20); got {request.Last}");
        }

        if (request.AfterSeq < 0)
        {
            throw ApiErrors.InvalidArgument("after_seq", "must not be negative");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        long last;
        var committed = store.Writer.Committed.Next;
        using (var reader = store.OpenReader())
        {
            if (request.AfterSeq > 0)
            {
                // Every entry after the sequence, however many: a page at a time.
                last = request.AfterSeq;
                IReadOnlyList<EventEntry> page;
                do
                {
                    page = reader.Events.After(last, 1000);
                    foreach (var entry in page)
                    {
                        await responseStream.WriteAsync(ToApi(entry), stop.Token).ConfigureAwait(false);
                        last = entry.Seq;
                    }
                }
                while (page.Count == 1000);
            }
            else
            {
                last = reader.Events.HeadSeq();
                foreach (var entry in reader.Events.Tail(request.Last == 0 ? 20 : request.Last))
                {
                    await responseStream.WriteAsync(ToApi(entry), stop.Token).ConfigureAwait(false);
                    last = Math.Max(last, entry.Seq);
                }
            }
        }

        try
        {
            while (request.Follow && !stop.IsCancellationRequested)
            {
                await committed.WaitAsync(stop.Token).ConfigureAwait(false);
                committed = store.Writer.Committed.Next;
                IReadOnlyList<EventEntry> entries;
                using (var reader = store.OpenReader())
                {
                    entries = reader.Events.After(last, 1000);
                }

                foreach (var entry in entries)
                {
                    await responseStream.WriteAsync(ToApi(entry), stop.Token).ConfigureAwait(false);
                    last = entry.Seq;
                }

                if (entries.Count == 1000)
                {
                    // More waiting: read again without waiting for another commit.
                    committed = Task.CompletedTask;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away or the node is stopping: the stream simply ends.
        }
    }

    private static LogEvent ToApi(EventEntry entry) => new()
    {
        Seq = entry.Seq,
        Time = entry.Time,
        Kind = entry.Kind,
        Payload = Payload(entry.Payload),
        Hash = Convert.ToHexStringLower(entry.Hash),
    };

    // Payloads are JSON by convention; one that is not (packet.accepted carries the raw id) is shown as hex.
    private static string Payload(byte[] payload) =>
        IsJson(payload) ? System.Text.Encoding.UTF8.GetString(payload) : $$"""{"hex":"{{Convert.ToHexStringLower(payload)}}"}""";

    private static bool IsJson(byte[] payload)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(payload);
            reader.Read();
            reader.Skip();
            return reader.TokenType == System.Text.Json.JsonTokenType.EndObject && !reader.Read();
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
