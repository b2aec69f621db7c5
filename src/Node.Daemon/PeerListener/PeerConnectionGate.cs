using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Node.Federation.Link;
using Node.Federation.Link.Server;

namespace Node.Daemon.PeerListener;

/// <summary>
/// The first thing every connection to the peer port meets, before TLS: the connection caps
/// (<see cref="ConnectionSlots"/>), a first byte within the handshake timeout, and a look at it —
/// random bytes are closed, plain-text HTTP gets a one-line 400 saying what the port speaks — so
/// each refusal is counted by its reason (Kestrel itself would log them all alike, at Debug). After
/// TLS it counts a handshake that failed or timed out, and why.
/// </summary>
internal sealed class PeerConnectionGate(ConnectionDelegate next, ConnectionSlots slots, PeerRefusals refusals, TimeProvider time)
{
    private const string PlainHttpBody = "This is a Sovereign Node peer port: gRPC over HTTP/2 over TLS 1.3 with a client certificate.\n";

    private static readonly byte[] PlainHttpAnswer = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: {PlainHttpBody.Length}\r\n\r\n{PlainHttpBody}");

    // Kestrel's handshake timer runs on the coarse tick count (4 ms steps on Linux), so a handshake it
    // ended at its timeout can measure a few milliseconds short of it here: without this slack some
    // timeouts were counted as handshake_failed (seen with 500 half-open connections).
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(100);

    public async Task OnConnectionAsync(ConnectionContext context)
    {
        var remote = context.RemoteEndPoint;
        var key = ConnectionSlots.SourceOf((remote as IPEndPoint)?.Address);
        if (!slots.TryTake(key, out var over))
        {
            refusals.Add(over, remote, over == PeerRefusal.OverTotalCap
                ? $"{PeerLimits.MaxConnections} connections are open on the peer port"
                : key.Prefix is null
                    ? $"{PeerLimits.MaxConnectionsPerAddress} connections are open from {key.Host}"
                    : $"{PeerLimits.MaxConnectionsPerAddress} connections are open from {key.Host}, or {PeerLimits.MaxConnectionsPerPrefix} from {key.Prefix}");
            context.Abort();
            return;
        }

        var connection = new PeerConnection(remote, key);
        context.Features.Set(connection);
        var accepted = time.GetTimestamp();
        try
        {
            var kind = await SniffAsync(context).ConfigureAwait(false);
            if (kind is null)
            {
                refusals.Add(PeerRefusal.HandshakeTimeout, remote, $"no byte within {PeerLimits.HandshakeTimeout.TotalSeconds:0} s");
                context.Abort();
                return;
            }

            if (kind != FirstBytes.Tls)
            {
                await RefuseAsync(context, kind.Value, remote).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
            if (!connection.HandshakeCompleted)
            {
                if (connection.CertificateRefusal is { } refused)
                {
                    refusals.Add(refused, remote, connection.CertificateProblem ?? "the client's certificate was refused");
                }
                else if (time.GetElapsedTime(accepted) >= PeerLimits.HandshakeTimeout - TimerSlack)
                {
                    refusals.Add(PeerRefusal.HandshakeTimeout, remote, $"the TLS handshake did not finish within {PeerLimits.HandshakeTimeout.TotalSeconds:0} s");
                }
                else
                {
                    refusals.Add(PeerRefusal.HandshakeFailed, remote, "the TLS handshake failed (the peer port speaks TLS 1.3 only, and requires a client certificate)");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away; nothing of it is kept.
        }
        finally
        {
            slots.Release(key);
        }
    }

    private enum FirstBytes
    {
        Tls,
        PlainHttp,
        Other,
    }

    // The first bytes, left unread for TLS; null when none came in time.
    private async Task<FirstBytes?> SniffAsync(ConnectionContext context)
    {
        using var timeout = new CancellationTokenSource(PeerLimits.HandshakeTimeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.ConnectionClosed);
        try
        {
            while (true)
            {
                var read = await context.Transport.Input.ReadAsync(either.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                var kind = Classify(buffer);
                if (kind is not null || read.IsCompleted)
                {
                    context.Transport.Input.AdvanceTo(buffer.Start);
                    return kind ?? FirstBytes.Other;
                }

                context.Transport.Input.AdvanceTo(buffer.Start, buffer.End); // wait for more bytes
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return null;
        }
    }

    // A TLS record starts 0x16 0x03; HTTP with a method or the h2c preface. Null: too few bytes to say.
    private static FirstBytes? Classify(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return null;
        }

        Span<byte> head = stackalloc byte[4];
        var length = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, length).CopyTo(head);
        if (head[0] == 0x16)
        {
            return length < 2 ? null : head[1] == 0x03 ? FirstBytes.Tls : FirstBytes.Other;
        }

        if (length < 4)
        {
            return IsUpperAscii(head[..length]) ? null : FirstBytes.Other;
        }

        return head.SequenceEqual("GET "u8) || head.SequenceEqual("POST"u8) || head.SequenceEqual("HEAD"u8) || head.SequenceEqual("PRI "u8) ||
               head.SequenceEqual("PUT "u8) || head.SequenceEqual("OPTI"u8) || head.SequenceEqual("DELE"u8) || head.SequenceEqual("CONN"u8)
            ? FirstBytes.PlainHttp
            : FirstBytes.Other;
    }

    private static bool IsUpperAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < (byte)'A' or > (byte)'Z')
            {
                return false;
            }
        }

        return true;
    }

    private async Task RefuseAsync(ConnectionContext context, FirstBytes kind, EndPoint? remote)
    {
        if (kind == FirstBytes.PlainHttp)
        {
            refusals.Add(PeerRefusal.PlaintextHttp, remote, "plain-text HTTP on the TLS peer port; answered 400");
            // Written and completed, not aborted: an abort could reset the connection before the answer leaves.
            await context.Transport.Output.WriteAsync(PlainHttpAnswer).ConfigureAwait(false);
            await context.Transport.Output.CompleteAsync().ConfigureAwait(false);
            return;
        }

        refusals.Add(PeerRefusal.NotTls, remote, "the first bytes are not a TLS handshake; closed");
        context.Abort();
    }
}
