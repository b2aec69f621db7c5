using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Tests.Support;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Link.Client;
using Node.Protocol.Packets;
using Node.Protocol.Peer;
using ApiTrustTier = Node.Protocol.Api.TrustTier;

namespace Node.Daemon.Tests.Links;

/// <summary>
/// The peer listener of a real node (in the test process, real sockets, real TLS): who may say
/// what, by the tier the node gave them, and the clear refusal (status, counter, log line) of
/// everything else — with the node still up and its store untouched.
/// </summary>
public sealed partial class PeerListenerTests(PeerNodeFixture node) : IClassFixture<PeerNodeFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hello_proves_both_nodes_and_a_stranger_stands_unknown()
    {
        using var peer = new TestPeer();
        using var channel = await peer.DialAsync(node.PeerPort, expected: NodeId.Parse(node.Status.NodeId));

        Assert.Equal(node.Status.NodeId, channel.Peer.ToString());
        Assert.Equal(node.Status.CertificateSha256, Convert.ToHexStringLower(channel.CertificateSha256));
        Assert.Equal((uint)node.PeerPort, channel.Manifest.PeerPort);
        Assert.Equal(Standing.Unknown, channel.Standing);
    }

    [Fact]
    public async Task Unknown_may_say_Hello_and_nothing_else()
    {
        using var peer = new TestPeer();
        using var channel = await peer.DialAsync(node.PeerPort);
        var before = await node.RefusalsAsync("tier_too_low");

        var query = await Assert.ThrowsAsync<RpcException>(async () => await channel.Client.QueryAsync(new QueryRequest { Topic = "weather" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.PermissionDenied, query.StatusCode);
        Assert.Contains("needs tier external", query.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("'unknown' here", query.Status.Detail, StringComparison.Ordinal);
        using var beats = channel.Client.Heartbeat(cancellationToken: Ct);
        var heartbeat = await Assert.ThrowsAsync<RpcException>(async () => await beats.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.PermissionDenied, heartbeat.StatusCode);

        Assert.Equal(before + 2, await node.RefusalsAsync("tier_too_low"));
        await LogFiles.WaitForAsync(Logs, "node-*.log", $"Peer port refused tier_too_low from 127.0.0.1", Within);
    }

    [Fact]
    public async Task A_call_before_Hello_is_unauthenticated()
    {
        using var peer = new TestPeer();
        using var raw = peer.RawChannel(node.PeerPort);
        var before = await node.RefusalsAsync("not_introduced");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new PeerService.PeerServiceClient(raw).QueryAsync(new QueryRequest { Topic = "t" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("call Hello first", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before + 1, await node.RefusalsAsync("not_introduced"));
    }

    [Fact]
    public async Task External_may_query_shareable_slots_and_core_sees_core_ones_too()
    {
        using var peer = new TestPeer();
        await node.PutAsync("pantry", "flour", "2 kg", ShareScope.Shareable);
        await node.PutAsync("pantry", "rice", "5 kg", ShareScope.Core);
        await node.PutAsync("pantry", "safe-code", "1234", ShareScope.Local);
        await node.TrustAsync(peer, ApiTrustTier.External);
        using var channel = await peer.DialAsync(node.PeerPort);

        var external = await channel.Client.QueryAsync(new QueryRequest { Topic = "pantry" }, cancellationToken: Ct);
        Assert.Equal(["flour"], external.Slots.Select(s => s.Key));
        var flour = Envelope.Parser.ParseFrom(external.Slots[0].Current);
        Assert.Equal("2 kg", PacketBody.Parser.ParseFrom(flour.Payload).Content.ToStringUtf8());
        var hidden = await channel.Client.QueryAsync(new QueryRequest { Topic = "pantry", Key = "rice" }, cancellationToken: Ct);
        Assert.Empty(hidden.Slots);

        await node.SetTierAsync(peer, ApiTrustTier.Core);
        var core = await channel.Client.QueryAsync(new QueryRequest { Topic = "pantry" }, cancellationToken: Ct);
        Assert.Equal(["flour", "rice"], core.Slots.Select(s => s.Key));
        Assert.DoesNotContain(core.Slots, s => s.Current.ToStringUtf8().Contains("1234", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tier_dropped_while_a_heartbeat_is_open_ends_it_with_permission_denied_within_a_second()
    {
        using var peer = new TestPeer();
        await node.TrustAsync(peer, ApiTrustTier.External);
        using var channel = await peer.DialAsync(node.PeerPort);
        using var beats = channel.Client.Heartbeat(cancellationToken: Ct);
        await beats.RequestStream.WriteAsync(new Beat { Seq = 1 }, Ct);
        Assert.True(await beats.ResponseStream.MoveNext());
        Assert.Equal(1ul, beats.ResponseStream.Current.EchoSeq);
        Assert.Equal(node.Status.ManifestSha256, Convert.ToHexStringLower(beats.ResponseStream.Current.ManifestSha256.Span));

        var dropped = TimeProvider.System.GetTimestamp();
        await node.SetTierAsync(peer, ApiTrustTier.Unknown);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await beats.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("is now 'unknown' here", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(TimeProvider.System.GetElapsedTime(dropped) < TimeSpan.FromSeconds(1), $"took {TimeProvider.System.GetElapsedTime(dropped)}");
        await LogFiles.WaitForAsync(Logs, "node-*.log", $"Peer call Heartbeat of {peer.Id} ended: its tier here is now unknown", Within);
    }

    [Fact]
    public async Task Another_nodes_manifest_on_our_certificate_is_refused()
    {
        using var peer = new TestPeer();
        using var victim = new TestPeer("victim");
        using var raw = peer.RawChannel(node.PeerPort);
        var before = await node.RefusalsAsync("certificate_mismatch");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new PeerService.PeerServiceClient(raw).HelloAsync(
            new HelloRequest { Manifest = ByteString.CopyFrom(victim.Manifest) }, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains($"the manifest of {victim.Id} names certificate", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before + 1, await node.RefusalsAsync("certificate_mismatch"));
        await LogFiles.WaitForAsync(Logs, "node-*.log", "Peer port refused certificate_mismatch", Within);
    }

    [Fact]
    public async Task An_expired_manifest_is_refused_naming_both_clocks()
    {
        using var peer = new TestPeer();
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-10));
        var expired = PeerManifests.Sign(peer.Identity.Identity, new ManifestInfo("old", [], 9, [], "0", peer.Certificate.Sha256), past, TimeSpan.FromDays(1));
        using var raw = peer.RawChannel(node.PeerPort);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new PeerService.PeerServiceClient(raw).HelloAsync(
            new HelloRequest { Manifest = ByteString.CopyFrom(expired), SentAt = past.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("has expired", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("this node's clock:", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"the caller's: {past.GetUtcNow():yyyy-MM-dd}", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_whose_node_id_is_not_its_keys_is_refused()
    {
        using var peer = new TestPeer();
        using var other = NodeIdentity.CreateEphemeral();
        var manifest = new PeerManifest
        {
            NodeId = other.Id.ToString(),
            PublicKey = ByteString.CopyFrom(peer.Identity.Identity.PublicKey),
            PeerPort = 9,
            TlsCertificateSha256 = ByteString.CopyFrom(peer.Certificate.Sha256),
            IssuedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(),
        };
        var forged = Dsse.Seal(PeerManifests.PayloadType, manifest.ToByteArray(), peer.Identity.Identity).ToByteArray();
        using var raw = peer.RawChannel(node.PeerPort);
        var before = await node.RefusalsAsync("bad_manifest");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new PeerService.PeerServiceClient(raw).HelloAsync(
            new HelloRequest { Manifest = ByteString.CopyFrom(forged) }, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("is not the id of the manifest's public key", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before + 1, await node.RefusalsAsync("bad_manifest"));
    }

    [Fact]
    public async Task A_replayed_older_manifest_is_refused_and_the_same_one_is_welcome()
    {
        using var peer = new TestPeer();
        var older = peer.Manifest;
        var newer = PeerManifests.Sign(peer.Identity.Identity, new ManifestInfo("again", [], 9, [], "0", peer.Certificate.Sha256),
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)), TimeSpan.FromDays(1));
        using var raw = peer.RawChannel(node.PeerPort);
        var client = new PeerService.PeerServiceClient(raw);

        await client.HelloAsync(new HelloRequest { Manifest = ByteString.CopyFrom(newer) }, cancellationToken: Ct);
        await client.HelloAsync(new HelloRequest { Manifest = ByteString.CopyFrom(newer) }, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.HelloAsync(new HelloRequest { Manifest = ByteString.CopyFrom(older) }, cancellationToken: Ct));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("issued before one this node already holds", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_hello_is_resource_exhausted_and_counted()
    {
        using var peer = new TestPeer();
        using var raw = peer.UnlimitedChannel(node.PeerPort);
        var before = await node.RefusalsAsync("oversize");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new PeerService.PeerServiceClient(raw).HelloAsync(
            new HelloRequest { Manifest = ByteString.CopyFrom(new byte[100 * 1024]) }, cancellationToken: Ct));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(before + 1, await node.RefusalsAsync("oversize"));
    }

    [Fact]
    public async Task A_dial_pinned_to_another_certificate_fails_in_the_handshake()
    {
        using var peer = new TestPeer();

        var error = await Assert.ThrowsAsync<PeerDialException>(() => peer.DialAsync(node.PeerPort, pin: SHA256.HashData("not it"u8)));

        Assert.True(error.Failure == Node.Federation.Link.LinkProblem.CertificateMismatch, $"{error.Failure}: {error.Message}; {error.InnerException}");
        Assert.Contains($"presented certificate sha256 {node.Status.CertificateSha256}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dial_expecting_another_node_is_refused_by_both_sides()
    {
        using var peer = new TestPeer();
        using var someone = NodeIdentity.CreateEphemeral();

        var error = await Assert.ThrowsAsync<PeerDialException>(() => peer.DialAsync(node.PeerPort, expected: someone.Id));

        Assert.Equal(Node.Federation.Link.LinkProblem.HelloRefused, error.Failure);
        Assert.Contains($"this is node {node.Status.NodeId}, not {someone.Id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_bytes_and_plain_http_are_refused_by_name_and_the_node_stays_up()
    {
        var notTls = await node.RefusalsAsync("not_tls");
        var plain = await node.RefusalsAsync("plaintext_http");

        using (var random = new TcpClient())
        {
            await random.ConnectAsync(IPAddress.Loopback, node.PeerPort, Ct);
            await random.GetStream().WriteAsync(RandomNumberGenerator.GetBytes(300), Ct);
            Assert.Equal(0, await ReadToEndAsync(random.GetStream(), new byte[64]));
        }

        string answer;
        using (var http = new TcpClient())
        {
            await http.ConnectAsync(IPAddress.Loopback, node.PeerPort, Ct);
            await http.GetStream().WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), Ct);
            var buffer = new byte[1024];
            answer = Encoding.ASCII.GetString(buffer, 0, await ReadToEndAsync(http.GetStream(), buffer));
        }

        Assert.StartsWith("HTTP/1.1 400 Bad Request", answer, StringComparison.Ordinal);
        Assert.Contains("TLS 1.3", answer, StringComparison.Ordinal);
        Assert.Equal(notTls + 1, await node.RefusalsAsync("not_tls"));
        Assert.Equal(plain + 1, await node.RefusalsAsync("plaintext_http"));
        using var peer = new TestPeer();
        using var still = await peer.DialAsync(node.PeerPort);
    }

    [Fact]
    public async Task A_tls_client_without_a_certificate_or_with_an_rsa_one_is_refused()
    {
        var none = await node.RefusalsAsync("no_certificate");
        var rejected = await node.RefusalsAsync("certificate_rejected");

        await HandshakeAndReadAsync(certificate: null);
        using var rsa = RSA.Create(2048);
        using var rsaCertificate = new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await HandshakeAndReadAsync(rsaCertificate);

        Assert.Equal(none + 1, await node.RefusalsAsync("no_certificate"));
        Assert.Equal(rejected + 1, await node.RefusalsAsync("certificate_rejected"));
        await LogFiles.WaitForAsync(Logs, "node-*.log", "Peer port refused no_certificate", Within);
        await LogFiles.WaitForAsync(Logs, "node-*.log", "the certificate's key is not ECDSA P-256", Within);
    }

    [Fact]
    public async Task Connections_over_the_per_address_cap_are_closed_and_others_still_link()
    {
        var over = await node.RefusalsAsync("over_address_cap");
        var silent = new List<TcpClient>();
        try
        {
            // 127.0.0.0/8 is all loopback: a source address of its own makes this test's cap its own.
            var source = new IPEndPoint(IPAddress.Parse("127.0.0.77"), 0);
            var closed = 0;
            for (var i = 0; i < Node.Federation.Link.PeerLimits.MaxConnectionsPerAddress + 2; i++)
            {
                var client = new TcpClient(source);
                silent.Add(client);
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, node.PeerPort, Ct);
                }
                catch (SocketException) when (i >= Node.Federation.Link.PeerLimits.MaxConnectionsPerAddress)
                {
                    closed++; // closed so fast the connect itself saw the reset
                    continue;
                }

                if (i >= Node.Federation.Link.PeerLimits.MaxConnectionsPerAddress)
                {
                    closed += await ReadToEndAsync(client.GetStream(), new byte[1]) == 0 ? 1 : 0;
                }
            }

            Assert.Equal(2, closed);
            Assert.Equal(over + 2, await node.RefusalsAsync("over_address_cap"));
            using var peer = new TestPeer();
            using var link = await peer.DialAsync(node.PeerPort);
            Assert.Equal(node.Status.NodeId, link.Peer.ToString());
        }
        finally
        {
            silent.ForEach(c => c.Dispose());
        }
    }

    private string Logs => Path.Combine(node.Node.DataDirectory, "logs");

    private async Task HandshakeAndReadAsync(X509Certificate2? certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, node.PeerPort, Ct);
        using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "peer",
                EnabledSslProtocols = SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                ClientCertificates = certificate is null ? null : [certificate],
                // The node's certificate is self-signed and pinned by its manifest; this client only wants to be refused.
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null,
            });
            // TLS 1.3: the server judges the client's certificate after the client's handshake ended;
            // the refusal comes as an alert (or a close) on the first read.
            await tls.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
            await ReadToEndAsync(tls, new byte[256]);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Refused: what the test wants.
        }
    }

    // Reads until the other side closes; returns the bytes read.
    private static async Task<int> ReadToEndAsync(Stream stream, byte[] buffer)
    {
        var total = 0;
        using var timeout = new CancellationTokenSource(Within);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token)) > 0)
            {
                total += read;
                if (total == buffer.Length)
                {
                    return total;
                }
            }
        }
        catch (IOException)
        {
            // Reset: closed.
        }

        return total;
    }
}
