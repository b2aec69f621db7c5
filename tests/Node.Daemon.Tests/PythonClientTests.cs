using System.Diagnostics;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests;

/// <summary>
/// A client nobody here wrote: Debian's python3-grpcio (installed by scripts/install-deps.sh)
/// calls the standard health service and NodeService.GetStatus over the Unix socket, encoding
/// and decoding the protobuf by hand from api.proto and grpc.health.v1.
/// </summary>
public sealed class PythonClientTests
{
    private const string Python = "/usr/bin/python3";

    private const string Client = """
        import sys, grpc
        socket = sys.argv[1]
        channel = grpc.insecure_channel("unix:" + socket)
        ident = lambda b: b
        # grpc.health.v1.Health/Check, service "" -> HealthCheckResponse{status = 1 (SERVING)}
        health = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=ident, response_deserializer=ident)(b"", timeout=10)
        assert health == b"\x08\x01", health
        # sovereign.api.v1.NodeService/GetStatus -> NodeStatus; fields 1 (node_id) and 2 (name) are strings
        reply = channel.unary_unary("/sovereign.api.v1.NodeService/GetStatus", request_serializer=ident, response_deserializer=ident)(b"", timeout=10)
        def varint(i):
            value, shift = 0, 0
            while True:
                b = reply[i]; i += 1
                value |= (b & 0x7F) << shift; shift += 7
                if not b & 0x80: return value, i
        fields, i = {}, 0
        while i < len(reply):
            key, i = varint(i)
            number, wire = key >> 3, key & 7
            if wire == 2:
                length, i = varint(i)
                fields[number] = reply[i:i + length]; i += length
            elif wire == 0:
                _, i = varint(i)
            elif wire == 1:
                i += 8
            elif wire == 5:
                i += 4
            else:
                raise SystemExit("unexpected wire type %d" % wire)
        print(fields[1].decode() + " " + fields[2].decode())
        """;

    [Fact]
    public async Task Python_grpcio_checks_health_and_reads_the_status()
    {
        Assert.SkipUnless(HasGrpcio(), "Debian's python3-grpcio is not installed (scripts/install-deps.sh installs it).");
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var script = dir.Write("client.py", Client);
        using var daemon = DaemonProcess.Start("jit", dir.Path, ["--name", "py-test"], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");

        var start = new ProcessStartInfo(Python, [script, dir.Combine(".node", "api.sock")]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var client = Process.Start(start)!;
        var output = await client.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await client.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await client.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(client.ExitCode == 0, error);
        var parts = output.Trim().Split(' ');
        Assert.True(Node.Federation.Identity.NodeId.TryParse(parts[0], out _, out var idError), idError);
        Assert.Equal("py-test", parts[1]);
        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    private static bool HasGrpcio()
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import grpc"]) { RedirectStandardError = true })!;
        probe.WaitForExit();
        return probe.ExitCode == 0;
    }
}
