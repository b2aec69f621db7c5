using System.Reflection;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli;

/// <summary>
/// <c>nodectl</c>, the operator's client of the node's local API (gRPC over its Unix socket).
/// Exit codes: 0 ok, 1 error (or a check that failed), 2 usage, 3 cannot reach the daemon.
/// </summary>
public static class NodeCtl
{
    /// <summary>Exit code of success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code of an error reported by the node, or of a check that failed.</summary>
    public const int Error = 1;

    /// <summary>Exit code of a usage error.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when the daemon cannot be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>The version this binary was built as.</summary>
    public static string Version { get; } =
        typeof(NodeCtl).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs one command; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var words = new List<string>();
        string? socket = null;
        var json = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    await output.WriteAsync(Usage).ConfigureAwait(false);
                    return Ok;
                case "-V" or "--version":
                    await output.WriteLineAsync($"nodectl {Version}").ConfigureAwait(false);
                    return Ok;
                case "--json":
                    json = true;
                    break;
                case "--socket" when i + 1 < args.Count:
                    socket = args[++i];
                    break;
                case "--socket":
                    return await UsageAsync(error, "option '--socket' needs a path").ConfigureAwait(false);
                case var flag when flag.StartsWith('-'):
                    return await UsageAsync(error, $"unknown option '{flag}'").ConfigureAwait(false);
                default:
                    words.Add(args[i]);
                    break;
            }
        }

        var command = string.Join(' ', words);
        if (command is "" or "help")
        {
            await output.WriteAsync(Usage).ConfigureAwait(false);
            return Ok;
        }

        if (command is not ("status" or "log verify"))
        {
            return await UsageAsync(error, $"unknown command '{command}'").ConfigureAwait(false);
        }

        var path = ApiConnection.Find(socket);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync(
                $"nodectl: no node socket at {path}. Is the node running? Start it with 'systemctl start sovereign-node', " +
                "or in development 'dotnet run --project src/Node.Daemon'; or give --socket PATH.").ConfigureAwait(false);
            return Unreachable;
        }

        using var channel = ApiConnection.Open(path);
        try
        {
            return command == "status"
                ? await StatusAsync(new NodeService.NodeServiceClient(channel), json, output).ConfigureAwait(false)
                : await VerifyLogAsync(new LogService.LogServiceClient(channel), json, output).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            await error.WriteLineAsync(
                $"nodectl: cannot reach the node at {path} ({ex.Status.Detail}). Is it running? Start it with " +
                "'systemctl start sovereign-node', or in development 'dotnet run --project src/Node.Daemon'; or give --socket PATH.").ConfigureAwait(false);
            return Unreachable;
        }
        catch (RpcException ex)
        {
            await error.WriteLineAsync($"nodectl: the node refused: {ex.Status.StatusCode}: {ex.Status.Detail}").ConfigureAwait(false);
            return Error;
        }
    }

    private static async Task<int> StatusAsync(NodeService.NodeServiceClient client, bool json, TextWriter output)
    {
        var status = await client.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(Json(writer =>
            {
                writer.WriteString("nodeId", status.NodeId);
                writer.WriteString("name", status.Name);
                writer.WriteString("version", status.Version);
                writer.WriteNumber("uptimeSeconds", Math.Round(status.UptimeSeconds, 3));
                writer.WriteNumber("pid", status.Pid);
                writer.WriteStartObject("store");
                writer.WriteNumber("packets", status.Store.Packets);
                writer.WriteNumber("heldPackets", status.Store.HeldPackets);
                writer.WriteNumber("events", status.Store.Events);
                writer.WriteNumber("databaseBytes", status.Store.DatabaseBytes);
                writer.WriteEndObject();
                writer.WriteStartArray("subsystems");
                foreach (var subsystem in status.Subsystems)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", subsystem.Name);
                    writer.WriteString("state", subsystem.State);
                    writer.WriteString("detail", subsystem.Detail);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            })).ConfigureAwait(false);
            return Ok;
        }

        var text = new StringBuilder()
            .AppendLine($"node       {status.Name} ({status.NodeId})")
            .AppendLine($"version    {status.Version}, pid {status.Pid}, up {TimeSpan.FromSeconds(Math.Floor(status.UptimeSeconds))}")
            .AppendLine($"store      {status.Store.Packets} packets, {status.Store.HeldPackets} held, {status.Store.Events} events, {status.Store.DatabaseBytes / 1024} KiB");
        foreach (var subsystem in status.Subsystems)
        {
            text.AppendLine($"  {subsystem.Name,-16} {subsystem.State,-9} {subsystem.Detail}");
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
        return Ok;
    }

    private static async Task<int> VerifyLogAsync(LogService.LogServiceClient client, bool json, TextWriter output)
    {
        var reply = await client.VerifyAsync(new VerifyLogRequest(), deadline: DateTime.UtcNow.AddMinutes(10)).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(Json(writer =>
            {
                writer.WriteBoolean("intact", reply.Intact);
                writer.WriteNumber("verified", reply.Verified);
                writer.WriteNumber("headSeq", reply.HeadSeq);
                writer.WriteString("headHash", Convert.ToHexStringLower(reply.HeadHash.Span));
                if (!reply.Intact)
                {
                    writer.WriteNumber("firstBadSeq", reply.FirstBadSeq);
                    writer.WriteString("problem", reply.Problem);
                }
            })).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync(reply.Intact
                ? $"event log intact: {reply.Verified} entries verified, head {reply.HeadSeq} {Convert.ToHexStringLower(reply.HeadHash.Span)}"
                : $"event log broken at entry {reply.FirstBadSeq}: {reply.Problem}").ConfigureAwait(false);
        }

        return reply.Intact ? Ok : Error;
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task<int> UsageAsync(TextWriter error, string problem)
    {
        await error.WriteLineAsync($"nodectl: {problem}\nTry 'nodectl --help'.").ConfigureAwait(false);
        return UsageError;
    }

    private static string Usage =>
        $"""
        nodectl {Version} - control a Sovereign Node over its local API socket

        Usage: nodectl COMMAND [--json] [--socket PATH]

        Commands:
          status        who the node is, its store, its subsystems
          log verify    walk the event log's hash chain; exit 1 if it is broken

        Options:
          --json        machine-readable output
          --socket PATH the node's API socket; default {ApiConnection.InstalledSocket} when it
                        exists, else ./{ApiConnection.DevelopmentSocket}

        Exit codes: 0 ok, 1 error or failed check, 2 usage, 3 cannot reach the node.

        """;
}
