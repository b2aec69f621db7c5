using System.Diagnostics;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.Support;

/// <summary>
/// Load on the local API: <c>clients</c> concurrent clients, each on its own <see cref="GrpcChannel"/>
/// (so its own connection to the Unix socket), each calling <c>NodeService.GetStatus</c> and
/// <c>KnowledgeService.List</c> in turn for a duration. Used by the load test and, linked, by the
/// bench's <c>--load</c> mode (bench/Node.Benchmarks/ApiLoadBench.cs).
/// </summary>
/// <remarks>
/// Each client keeps its own latencies and error counts (no locks, nothing shared on the hot path);
/// they are merged once every client has stopped. Connections are made and checked with one untimed
/// call per client before the clock starts, so the figures are of calls, not of connects.
/// </remarks>
public static class ApiLoad
{
    /// <summary>No call may take longer than this; one that does counts as a DeadlineExceeded error.</summary>
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    /// <summary>A channel of its own (its own connection) over the Unix socket <paramref name="socket"/>: nodectl's.</summary>
    public static GrpcChannel Open(string socket) => Node.Cli.ApiConnection.Open(socket);

    /// <summary>Stores <paramref name="count"/> small notes, so that List has a page to return.</summary>
    public static async Task SeedAsync(string socket, int count, CancellationToken cancellationToken)
    {
        using var channel = Open(socket);
        var knowledge = new KnowledgeService.KnowledgeServiceClient(channel);
        for (var i = 0; i < count; i++)
        {
            await knowledge.PutAsync(new PutKnowledgeRequest
            {
                Topic = "load",
                Key = $"k{i}",
                Content = ByteString.CopyFromUtf8($"load test note {i}"),
            }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
        }
    }

    /// <summary>Which calls the clients make.</summary>
    public enum Calls
    {
        /// <summary>GetStatus and List in turn.</summary>
        Both,
        StatusOnly,
        ListOnly,
    }

    /// <summary>Runs <paramref name="clients"/> clients for <paramref name="duration"/>; every channel is disposed when it returns.</summary>
    public static async Task<ApiLoadResult> RunAsync(string socket, int clients, TimeSpan duration, CancellationToken cancellationToken,
        Calls calls = Calls.Both)
    {
        var go = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = new Task<ClientRecord>[clients];
        var ready = new Task[clients];
        for (var i = 0; i < clients; i++)
        {
            var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ready[i] = connected.Task;
            runs[i] = Task.Run(() => RunClientAsync(socket, duration, calls, connected, go.Task, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(ready).ConfigureAwait(false);
        var start = Stopwatch.GetTimestamp();
        go.SetResult(start);
        var records = await Task.WhenAll(runs).ConfigureAwait(false);
        return ApiLoadResult.Merge(clients, Stopwatch.GetElapsedTime(start), records);
    }

    private static async Task<ClientRecord> RunClientAsync(string socket, TimeSpan duration, Calls calls, TaskCompletionSource connected,
        Task<long> go, CancellationToken cancellationToken)
    {
        var record = new ClientRecord();
        using var channel = Open(socket);
        var node = new NodeService.NodeServiceClient(channel);
        var knowledge = new KnowledgeService.KnowledgeServiceClient(channel);
        var status = new GetStatusRequest();
        var list = new ListKnowledgeRequest { Topic = "load" };
        try
        {
            // Untimed: opens the connection, and fails the run early if the node does not answer.
            await node.GetStatusAsync(status, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            record.Error(ex.StatusCode, ex.Status.Detail);
        }
        finally
        {
            connected.SetResult();
        }

        var end = await go.ConfigureAwait(false) + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (var n = 0L; Stopwatch.GetTimestamp() < end; n++)
        {
            var before = Stopwatch.GetTimestamp();
            try
            {
                var deadline = DateTime.UtcNow + CallDeadline;
                if (calls == Calls.StatusOnly || (calls == Calls.Both && (n & 1) == 0))
                {
                    await node.GetStatusAsync(status, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
                }
                else
                {
                    await knowledge.ListAsync(list, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
                }

                record.Call(Stopwatch.GetTimestamp() - before);
            }
            catch (RpcException ex)
            {
                record.Error(ex.StatusCode, ex.Status.Detail);
            }
        }

        return record;
    }

    /// <summary>One client's own latencies (Stopwatch ticks) and errors; touched by that client only.</summary>
    internal sealed class ClientRecord
    {
        private long[] _latencies = new long[4096];

        public int Count { get; private set; }

        public long[] ErrorsByCode { get; } = new long[17];

        public string? FirstError { get; private set; }

        public ReadOnlySpan<long> Latencies => _latencies.AsSpan(0, Count);

        public void Call(long ticks)
        {
            if (Count == _latencies.Length)
            {
                Array.Resize(ref _latencies, _latencies.Length * 2);
            }

            _latencies[Count++] = ticks;
        }

        public void Error(StatusCode code, string detail)
        {
            ErrorsByCode[Math.Clamp((int)code, 0, ErrorsByCode.Length - 1)]++;
            FirstError ??= $"{code}: {detail}";
        }
    }
}
