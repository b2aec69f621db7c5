using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Link.Client;
using Node.Federation.Link.Server;
using Node.Federation.Link.Tls;
using Node.Protocol.Peer;

namespace Node.Benchmarks;

/// <summary>
/// A peer in the bench process, as tests/Node.Daemon.Tests/Support/TestPeer.cs makes one: an
/// identity and a certificate of its own, its signed manifest, and the node's real dialler. Once
/// <see cref="StartLink"/>ed it holds a link to the node as <see cref="PeerLinkHost"/> holds one it
/// dialled: a channel with the dialler's settings, Hello, then a Heartbeat stream with a beat every
/// interval, each echoing the last beat heard and how long it was held. Its connection is made from
/// a source address of its own (the listener caps connections per address) through a
/// <see cref="CountingStream"/>.
/// </summary>
internal sealed class BenchPeer : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private CancellationTokenSource? _stop;
    private Task? _link;
    private CountingStream? _wire;
    private long _heard;
    private long _sent;

    private BenchPeer(TempDirectory dir, IdentityHost identity)
    {
        _dir = dir;
        Identity = identity;
        Certificate = PeerCertificate.CreateEphemeral(TimeProvider.System);
        Local = new LocalManifest(Identity, Certificate, TimeProvider.System, "bench-peer", "0.0.0-bench");
        Local.Refresh(port: 9); // discard: it only dials
        Dialer = new PeerDialer(Local, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public IdentityHost Identity { get; }

    public NodeId Id => Identity.Identity.Id;

    public PeerCertificate Certificate { get; }

    public LocalManifest Local { get; }

    public PeerDialer Dialer { get; }

    /// <summary>Beats the node answered on the link.</summary>
    public long BeatsHeard => Interlocked.Read(ref _heard);

    /// <summary>Beats sent on the link.</summary>
    public long BeatsSent => Interlocked.Read(ref _sent);

    /// <summary>The link's connection (null before it is up).</summary>
    public CountingStream? Wire => Volatile.Read(ref _wire);

    /// <summary>Why the link ended, if it did.</summary>
    public string? Ended { get; private set; }

    /// <summary>A new peer; with <paramref name="below"/>, one whose id orders below it (so that node never dials it: the lower id dials).</summary>
    public static BenchPeer Create(NodeId? below = null)
    {
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var dir = new TempDirectory("sovereign-bench-peer-");
            var identity = IdentityHost.LoadOrCreate(dir.Path, NullLogger<IdentityHost>.Instance);
            if (below is not { } node || identity.Identity.Id.CompareTo(node) < 0)
            {
                return new BenchPeer(dir, identity);
            }

            identity.Dispose();
            dir.Dispose();
        }

        throw new InvalidOperationException($"No identity ordering below {below} in 10,000 tries.");
    }

    /// <summary>
    /// Links to the node at <paramref name="node"/> from <paramref name="source"/>: Hello, then
    /// beats every <paramref name="interval"/> until disposed. Returns once the first beat is answered.
    /// </summary>
    public async Task StartLink(IPEndPoint node, IPAddress source, NodeId expected, byte[] pin, TimeSpan interval)
    {
        _stop = new CancellationTokenSource();
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _link = Task.Run(() => LinkAsync(node, source, expected, pin, interval, up, _stop.Token));
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task LinkAsync(IPEndPoint node, IPAddress source, NodeId expected, byte[] pin, TimeSpan interval, TaskCompletionSource up,
        CancellationToken stop)
    {
        try
        {
            using var channel = Channel(node, source, pin);
            var client = new PeerService.PeerServiceClient(channel);
            var reply = await client.HelloAsync(new HelloRequest
            {
                Manifest = ByteString.CopyFrom(Local.Current!.Envelope),
                ExpectedNodeId = expected.ToString(),
                ProtocolVersions = { PeerLinkService.ProtocolVersion },
                SentAt = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
                Instance = PeerLinkService.Instance,
            }, cancellationToken: stop);
            var check = PeerManifests.Verify(reply.Manifest.Span, TimeProvider.System);
            if (!check.IsValid || check.NodeId != expected || reply.Standing != Standing.External)
            {
                throw new InvalidOperationException($"Hello did not link: manifest {check.Outcome}, node {check.NodeId}, standing {reply.Standing}");
            }

            using var call = client.Heartbeat(cancellationToken: stop);
            // As RttEstimator numbers beats: seq from 1, the last seq heard, microseconds it was held.
            ulong lastHeard = 0;
            long heardAt = 0;
            var reading = Task.Run(async () =>
            {
                while (await call.ResponseStream.MoveNext(stop))
                {
                    Volatile.Write(ref heardAt, Stopwatch.GetTimestamp());
                    Volatile.Write(ref lastHeard, call.ResponseStream.Current.Seq);
                    if (Interlocked.Increment(ref _heard) == 1)
                    {
                        up.TrySetResult();
                    }
                }
            }, CancellationToken.None);
            using var timer = new PeriodicTimer(interval);
            for (ulong seq = 1; ; seq++)
            {
                var echo = Volatile.Read(ref lastHeard);
                var held = echo == 0 ? 0 : Stopwatch.GetElapsedTime(Volatile.Read(ref heardAt)).Ticks / TimeSpan.TicksPerMicrosecond;
                await call.RequestStream.WriteAsync(new Beat
                {
                    Seq = seq,
                    EchoSeq = echo,
                    EchoDelayUs = (uint)Math.Clamp(held, 0, uint.MaxValue),
                    ManifestSha256 = seq == 1 ? ByteString.CopyFrom(Local.Current!.Sha256) : ByteString.Empty,
                }, stop);
                Interlocked.Increment(ref _sent);
                var tick = timer.WaitForNextTickAsync(stop).AsTask();
                if (await Task.WhenAny(tick, reading) == reading)
                {
                    await reading;
                    Ended = "the node ended the heartbeat stream";
                    up.TrySetException(new InvalidOperationException(Ended));
                    return;
                }

                await tick;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Ended = ex.Message;
            up.TrySetException(ex);
        }
    }

    // The node's own channel (PeerDialer.OpenChannel, pinned), over a connection that binds a source
    // address and counts the bytes.
    private GrpcChannel Channel(IPEndPoint node, IPAddress source, byte[] pin) =>
        PeerDialer.OpenChannel(Certificate, new PeerDial(node, default, pin), _ => { }, connect: async (endPoint, token) =>
        {
            var socket = await ConnectFromAsync(endPoint, source, token);
            var wire = new CountingStream(new NetworkStream(socket, ownsSocket: true));
            Volatile.Write(ref _wire, wire);
            return wire;
        });

    /// <summary>A TCP connection to <paramref name="node"/> from <paramref name="source"/> (any loopback address on Linux).</summary>
    public static async Task<Socket> ConnectFromAsync(IPEndPoint node, IPAddress source, CancellationToken token)
    {
        var socket = new Socket(node.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(node, token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is not null)
        {
            await _stop.CancelAsync();
            await _link!;
            _stop.Dispose();
        }

        Identity.Dispose();
        Certificate.Dispose();
        _dir.Dispose();
    }
}
