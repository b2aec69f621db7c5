using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Node.Daemon.Tests.Support;
using Node.Federation.Link;
using Node.Federation.Link.Tls;
using Node.Protocol.Api;
using ApiPeerService = Node.Protocol.Api.PeerService;

namespace Node.Daemon.Tests.Links;

/// <summary>What a hostile or careless host does to the peer port: floods it, overfills headers, points at URLs.</summary>
public sealed partial class PeerListenerTests
{
    // A TLS record header announcing a 512-byte ClientHello, and its first bytes: the rest never comes.
    private static readonly byte[] PartialClientHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, .. RandomNumberGenerator.GetBytes(16)];

    [Fact]
    public async Task Five_hundred_half_open_connections_meet_both_caps_then_the_handshake_timeout_and_the_node_still_serves()
    {
        // 50 source addresses (127.0.0.0/8 is all loopback) with 10 connections each: 2 of each 10 over
        // the per-address cap, and everything past 128 open over the total; half send nothing, half the
        // start of a ClientHello. 127.0.0.1, where the legitimate peer dials from, is not among them.
        const int Sources = 50, PerSource = 10, Flood = Sources * PerSource;
        var before = await node.RefusalsAsync();
        var idle = (await DiagnoseAsync()).Connections;
        var clients = new List<TcpClient>(Flood);
        try
        {
            var flooding = TimeProvider.System.GetTimestamp();
            for (var s = 1; s <= Sources; s++)
            {
                var source = new IPEndPoint(IPAddress.Parse($"127.0.2.{s}"), 0);
                for (var j = 0; j < PerSource; j++)
                {
                    var client = new TcpClient(source);
                    clients.Add(client);
                    try
                    {
                        await client.ConnectAsync(IPAddress.Loopback, node.PeerPort, Ct);
                    }
                    catch (SocketException)
                    {
                        continue; // refused at a cap so fast that the connect itself saw the reset
                    }

                    if (j % 2 == 1)
                    {
                        try
                        {
                            await client.GetStream().WriteAsync(PartialClientHello, Ct);
                        }
                        catch (IOException)
                        {
                            // Refused at a cap already: closed before the bytes went.
                        }
                    }
                }
            }

            var flood = TimeProvider.System.GetElapsedTime(flooding);
            // The caps hold: the node keeps 128 open and no more, and its API answers meanwhile.
            var held = await WaitForConnectionsAsync(n => n == PeerLimits.MaxConnections, TimeSpan.FromSeconds(5));
            Assert.True(held == PeerLimits.MaxConnections, $"{held} connections open after a flood of {Flood} made in {flood.TotalMilliseconds:F0} ms");
            var status = await new NodeService.NodeServiceClient(node.Node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Ct);
            Assert.Equal(node.Status.NodeId, status.NodeId);

            // The handshake timeout (5 s for the first byte, 5 s for TLS) closes the rest.
            Assert.True(await WaitForConnectionsAsync(n => n <= idle, TimeSpan.FromSeconds(15)) <= idle, "the half-open connections were not closed");
            await Task.WhenAll(clients.Where(c => c.Connected).Select(c => ReadToEndAsync(c.GetStream(), new byte[1])));
            var after = await node.RefusalsAsync();
            long Delta(string reason) => after.GetValueOrDefault(reason) - before.GetValueOrDefault(reason);
            TestContext.Current.TestOutputHelper?.WriteLine($"flood of {Flood} in {flood.TotalMilliseconds:F0} ms: " +
                string.Join(", ", after.Keys.Where(k => Delta(k) != 0).Select(k => $"{Delta(k)} {k}")));
            Assert.Equal(Flood, Delta("over_address_cap") + Delta("over_total_cap") + Delta("handshake_timeout"));
            Assert.True(Delta("over_address_cap") >= 2, "the per-address cap refused none");
            Assert.True(Delta("over_total_cap") >= Flood - (Sources * PeerLimits.MaxConnectionsPerAddress), "the total cap refused too few");
            Assert.True(Delta("handshake_timeout") >= PeerLimits.MaxConnections - idle, "fewer timed out than were let in");
            await LogFiles.WaitForAsync(Logs, "node-*.log", "Peer port refused over_address_cap from 127.0.2.", Within);
            await LogFiles.WaitForAsync(Logs, "node-*.log", "Peer port refused over_total_cap from 127.0.2.", Within);
            await LogFiles.WaitForAsync(Logs, "node-*.log", "Peer port refused handshake_timeout from 127.0.2.", Within);

            using var peer = new TestPeer();
            using var link = await peer.DialAsync(node.PeerPort);
            Assert.Equal(node.Status.NodeId, link.Peer.ToString());
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    public static TheoryData<string, int, int> OversizedHeaders => new()
    {
        { "one field over 4 KiB", 1, 5 * 1024 },
        { "more than 32 fields", 40, 16 },
        { "over 8 KiB in all", 3, 3 * 1024 },
    };

    [Theory]
    [MemberData(nameof(OversizedHeaders))]
    public async Task Oversized_request_headers_are_refused_before_any_call_and_the_node_serves_the_next(string what, int count, int size)
    {
        using var peer = new TestPeer();
        var before = await node.RefusalsAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, node.PeerPort, Ct);
        using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(PeerTls.ClientOptions(peer.Certificate, _ => true), Ct);
        var block = RawHttp2.HeaderBlock([
            (":method", "POST"), (":scheme", "https"), (":authority", "sovereign-peer"), (":path", "/sovereign.peer.v1.PeerService/Query"),
            ("content-type", "application/grpc"), ("te", "trailers"),
            .. Enumerable.Range(0, count).Select(i => ($"x-pad-{i}", new string('p', size))),
        ]);
        await tls.WriteAsync(RawHttp2.Preface(), Ct);
        await tls.WriteAsync(RawHttp2.Frame(RawHttp2.Headers, RawHttp2.EndHeaders | RawHttp2.EndStream, 1, block), Ct);

        var frames = new List<(byte Type, byte Flags, int Stream, byte[] Payload)>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Within);
        try
        {
            while (await RawHttp2.ReadFrameAsync(tls, timeout.Token) is { } frame)
            {
                frames.Add(frame);
                if (frame.Type == RawHttp2.GoAway || (frame.Stream == 1 && (frame.Flags & RawHttp2.EndStream) != 0) || (frame.Stream == 1 && frame.Type == RawHttp2.RstStream))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{what}: the connection stayed open; frames: {string.Join(", ", frames.Select(f => $"type {f.Type} flags {f.Flags} stream {f.Stream} [{Convert.ToHexString(f.Payload.AsSpan(0, Math.Min(16, f.Payload.Length)))}]"))}");
        }

        // Over the count or the total, that stream is answered 431 and the connection stays usable; a
        // field over 4 KiB stops the HPACK decoder, which ends the whole connection (GOAWAY COMPRESSION_ERROR).
        var answer = frames.Find(f => f.Type == RawHttp2.GoAway || (f.Stream == 1 && f.Type is RawHttp2.Headers or RawHttp2.RstStream));
        TestContext.Current.TestOutputHelper?.WriteLine($"{what}: frame type {answer.Type}, payload {Convert.ToHexString(answer.Payload.AsSpan(0, Math.Min(8, answer.Payload.Length)))}");
        if (size > 4 * 1024)
        {
            Assert.Equal(RawHttp2.GoAway, answer.Type);
            Assert.Equal(0x9u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(answer.Payload.AsSpan(4))); // COMPRESSION_ERROR (RFC 9113 §7)
        }
        else
        {
            Assert.Equal((RawHttp2.Headers, (byte)(RawHttp2.EndHeaders | RawHttp2.EndStream)), (answer.Type, answer.Flags));
            Assert.Equal([0x48, 0x03, .. "431"u8], answer.Payload.AsSpan(0, 5).ToArray()); // ":status: 431" (HPACK static name 8), no grpc-status: no call ran
        }

        Assert.DoesNotContain(frames, f => f.Type == RawHttp2.Data && f.Stream == 1);
        Assert.Equal(before.GetValueOrDefault("not_introduced"), await node.RefusalsAsync("not_introduced"));

        using var still = await peer.DialAsync(node.PeerPort);
        Assert.Equal(node.Status.NodeId, still.Peer.ToString());
    }

    [Fact]
    public async Task A_certificate_naming_issuer_ocsp_and_crl_urls_sends_the_node_nowhere_whether_it_listens_or_dials()
    {
        using var trap = new TcpListener(IPAddress.Loopback, 0);
        trap.Start();
        var at = $"http://127.0.0.1:{((IPEndPoint)trap.LocalEndpoint).Port}";
        using var certificate = CertificateWithUrls(at);

        // The node listens: a peer presents it, and the handshake and Hello go through.
        using (var peer = new TestPeer("aia", certificate))
        {
            using var channel = await peer.DialAsync(node.PeerPort);
            Assert.Equal(node.Status.NodeId, channel.Peer.ToString());
        }

        Assert.False(trap.Pending(), "the listening node reached for a URL of the peer's certificate");

        // The node dials: a static peer whose listener presents it.
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var address = $"127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}";
        var peers = new ApiPeerService.PeerServiceClient(node.Node.Channel);
        await peers.AddAsync(new AddPeerRequest { Address = address }, cancellationToken: Ct);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(Within);
            using var dialled = await server.AcceptTcpClientAsync(timeout.Token);
            using var tls = new SslStream(dialled.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                // Offline: left to itself, SslStream would fetch the issuer to send along, and this test's own server would spring the trap.
                ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                ClientCertificateRequired = true,
                // A stand-in peer: whatever the node presents will do, this test looks only at what the node does with ours.
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null,
            }, timeout.Token);
            // TLS 1.3: the client checked our certificate before its Finished, so before this returned.
        }
        finally
        {
            await peers.ForgetAsync(new ForgetPeerRequest { Address = address }, cancellationToken: Ct);
        }

        Assert.False(trap.Pending(), "the dialling node reached for a URL of the peer's certificate");

        // The URLs are real: a chain built with .NET's defaults goes for them.
        using var chain = new X509Chain();
        chain.ChainPolicy.UrlRetrievalTimeout = TimeSpan.FromSeconds(2);
        var building = Task.Run(() => chain.Build(certificate), Ct);
        using (var fetched = await trap.AcceptTcpClientAsync(Ct).AsTask().WaitAsync(Within, Ct))
        {
            Assert.NotNull(fetched);
        }

        await building.WaitAsync(Within, Ct);
    }

    // An ECDSA P-256 leaf (with its key) issued by a CA nobody has, naming where to fetch the issuer
    // (AIA caIssuers), ask about revocation (AIA OCSP) and find a CRL: all at the test's own trap.
    private static X509Certificate2 CertificateWithUrls(string at)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=issuer nobody has", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=peer with urls", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([$"{at}/ocsp"], [$"{at}/issuer.crt"]));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([$"{at}/issuer.crl"]));
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        using var withKey = leaf.CopyWithPrivateKey(key);
        // Through PKCS#12, so SslStream on Linux holds a key it can use as a server.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private async Task<PeerListenerState> DiagnoseAsync() =>
        (await new FederationService.FederationServiceClient(node.Node.Channel).DiagnoseAsync(new DiagnoseRequest(), cancellationToken: Ct)).PeerListener;

    // Polls the node's open peer connections until the condition holds or the time is up; returns the last count.
    private async Task<int> WaitForConnectionsAsync(Func<int, bool> condition, TimeSpan timeout)
    {
        var since = TimeProvider.System.GetTimestamp();
        var open = (await DiagnoseAsync()).Connections;
        while (!condition(open) && TimeProvider.System.GetElapsedTime(since) < timeout)
        {
            await Task.Delay(50, Ct);
            open = (await DiagnoseAsync()).Connections;
        }

        return open;
    }
}
