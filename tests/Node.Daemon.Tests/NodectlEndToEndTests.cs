using System.Security.Cryptography;
using System.Text.Json;
using Node.Daemon.Tests.Support;
using Node.Federation.Identity;
using Node.Testing.Storage;

namespace Node.Daemon.Tests;

/// <summary>Every nodectl command with --json, the real nodectl against a real daemon process, of each kind.</summary>
public sealed class NodectlEndToEndTests
{
    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    /// <summary>A daemon of one kind, ready, and nodectl of the same kind pointed at its socket.</summary>
    private sealed class Session(string kind, TempDirectory dir, NotifyListener notify, DaemonProcess daemon) : IDisposable
    {
        public string Socket { get; } = dir.Combine(".node", "api.sock");

        public TempDirectory Directory => dir;

        public DaemonProcess Daemon => daemon;

        public static async Task<Session> StartAsync(string kind)
        {
            var dir = new TempDirectory();
            NotifyListener? notify = null;
            DaemonProcess? daemon = null;
            try
            {
                notify = new NotifyListener(dir.Path);
                daemon = DaemonProcess.Start(kind, dir.Path, ["--name", "e2e"], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
                await notify.WaitForAsync("READY=1");
                return new Session(kind, dir, notify, daemon);
            }
            catch
            {
                daemon?.Dispose();
                notify?.Dispose();
                dir.Dispose();
                throw;
            }
        }

        public Task<NodeCtlResult> RunAsync(params string[] args) => NodeCtlProcess.RunAsync(kind, [.. args, "--socket", Socket]);

        /// <summary>Runs a command with --json; it must succeed, and its output is one JSON value.</summary>
        public async Task<JsonElement> JsonAsync(params string[] args)
        {
            var result = await RunAsync([.. args, "--json"]);
            Assert.True(result.Code == 0, $"nodectl {string.Join(' ', args)}: {result}");
            using var json = JsonDocument.Parse(result.Output);
            return json.RootElement.Clone();
        }

        public void Dispose()
        {
            daemon.Dispose();
            notify.Dispose();
            dir.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_command_works_against_a_running_node_with_json_output(string kind)
    {
        using var node = await Session.StartAsync(kind);
        var peer = NodeId.FromPublicKey(RandomNumberGenerator.GetBytes(32)).ToString();

        // status
        var status = await node.JsonAsync("status");
        Assert.Equal("e2e", status.GetProperty("name").GetString());
        Assert.Equal(node.Daemon.Id, status.GetProperty("pid").GetInt32());
        var self = status.GetProperty("nodeId").GetString()!;

        // knowledge put (text and file), get (by id, by slot, an absent slot), list
        var put = await node.JsonAsync("knowledge", "put", "--topic", "weather", "--key", "oslo", "--content", "rain");
        var fromFile = await node.JsonAsync("knowledge", "put", "--topic", "weather", "--key", "kitchen",
            "--file", node.Directory.Write("reading.json", """{"celsius":21.5}"""), "--media-type", "application/json", "--kind", "observation");
        var id = put.GetProperty("id").GetString()!;
        var fileId = fromFile.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.True(put.GetProperty("created").GetBoolean());
        Assert.Equal(put.GetProperty("seq").GetInt64() + 1, fromFile.GetProperty("seq").GetInt64());

        var byId = await node.JsonAsync("knowledge", "get", id);
        Assert.Equal(("rain", "weather", "oslo", "note", self), (byId.GetProperty("content").GetString(), byId.GetProperty("topic").GetString(),
            byId.GetProperty("key").GetString(), byId.GetProperty("kind").GetString(), byId.GetProperty("author").GetString()));
        var bySlot = await node.JsonAsync("knowledge", "get", "--topic", "weather", "--key", "kitchen");
        Assert.Equal((fileId, """{"celsius":21.5}""", "observation"),
            (bySlot.GetProperty("id").GetString(), bySlot.GetProperty("content").GetString(), bySlot.GetProperty("kind").GetString()));
        var absent = await node.RunAsync("knowledge", "get", "--topic", "weather", "--key", "mars", "--json");
        Assert.True(absent.Code == 1, absent.ToString());
        Assert.Empty(absent.Output);
        Assert.StartsWith("nodectl: ", absent.Error, StringComparison.Ordinal);

        var list = await node.JsonAsync("knowledge", "list");
        Assert.Equal([id, fileId], list.GetProperty("packets").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal("", list.GetProperty("nextPageToken").GetString());

        // peers add, trust, list, forget
        var added = await node.JsonAsync("peers", "add", "127.0.0.7:9", "--id", peer, "--name", "shed");
        Assert.Equal((peer, "shed", "unknown", "static"), (added.GetProperty("nodeId").GetString(), added.GetProperty("name").GetString(),
            added.GetProperty("tier").GetString(), added.GetProperty("source").GetString()));
        var trusted = await node.JsonAsync("peers", "trust", peer, "core", "--reason", "my own machine");
        Assert.Equal("core", trusted.GetProperty("tier").GetString());
        var peers = (await node.JsonAsync("peers", "list")).GetProperty("peers");
        var listed = Assert.Single(peers.EnumerateArray());
        Assert.Equal((peer, "core"), (listed.GetProperty("nodeId").GetString(), listed.GetProperty("tier").GetString()));
        Assert.Equal(["127.0.0.7:9"], listed.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        var forgotten = await node.JsonAsync("peers", "forget", peer);
        Assert.True(forgotten.GetProperty("forgotten").GetInt32() >= 1);
        Assert.Empty((await node.JsonAsync("peers", "list")).GetProperty("peers").EnumerateArray());

        // federation diagnose and discover (test nodes run with discovery off)
        var diagnosis = await node.JsonAsync("federation", "diagnose");
        Assert.False(diagnosis.GetProperty("enabled").GetBoolean());
        Assert.Single(diagnosis.GetProperty("hints").EnumerateArray());
        var discover = await node.RunAsync("federation", "discover", "--timeout", "200ms");
        Assert.Equal(1, discover.Code);
        Assert.Contains("discovery is off (Federation:Discovery:Enabled=false)", discover.Error, StringComparison.Ordinal);

        // decisions (none yet: the reasoning pipeline makes them)
        Assert.Empty((await node.JsonAsync("decisions", "list")).GetProperty("decisions").EnumerateArray());

        // log verify and tail
        var verify = await node.JsonAsync("log", "verify");
        Assert.True(verify.GetProperty("intact").GetBoolean());
        var tail = await node.RunAsync("log", "tail", "-n", "5", "--json");
        Assert.True(tail.Code == 0, tail.ToString());
        var entries = tail.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(5, entries.Count);
        Assert.Equal(verify.GetProperty("headSeq").GetInt64(), entries[^1].GetProperty("seq").GetInt64());
        Assert.Equal(Enumerable.Range(0, 5).Select(i => entries[0].GetProperty("seq").GetInt64() + i), entries.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(["peer.added", "peer.trust_changed", "peer.forgotten"], entries.TakeLast(3).Select(e => e.GetProperty("kind").GetString()));
        using (var reason = JsonDocument.Parse(entries[^2].GetProperty("payload").GetString()!))
        {
            Assert.Equal("my own machine", reason.RootElement.GetProperty("reason").GetString());
        }

        // backup create and status
        using var backups = new TempDirectory();
        var path = backups.Combine("node.backup");
        var backup = await node.JsonAsync("backup", "create", path);
        Assert.Equal((path, 2L, new FileInfo(path).Length), (backup.GetProperty("path").GetString(), backup.GetProperty("packets").GetInt64(),
            backup.GetProperty("bytes").GetInt64()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var last = (await node.JsonAsync("backup", "status")).GetProperty("last");
        Assert.Equal((path, backup.GetProperty("eventHeadHash").GetString()), (last.GetProperty("path").GetString(), last.GetProperty("eventHeadHash").GetString()));

        // store scrub: clean; then a packet whose signature bytes changed behind the node's back is named, exit 1
        var clean = await node.JsonAsync("store", "scrub");
        Assert.Equal((2L, 0L), (clean.GetProperty("checked").GetInt64(), clean.GetProperty("corrupt").GetInt64()));
        PacketTamper.FlipBit(node.Directory.Combine(".node", Node.Storage.NodeStore.FileName), Convert.FromHexString(fileId), inSignature: true);
        var scrub = await node.RunAsync("store", "scrub");
        Assert.True(scrub.Code == 1, scrub.ToString());
        Assert.StartsWith("store scrubbed: 2 packets verified, 1 corrupt (1 newly marked)", scrub.Output, StringComparison.Ordinal);
        Assert.Contains($"corrupt  {fileId}  seq {fromFile.GetProperty("seq").GetInt64()}  the signature of author {self} does not verify", scrub.Output,
            StringComparison.Ordinal);
        var gone = await node.RunAsync("knowledge", "get", fileId);
        Assert.True(gone.Code == 1, gone.ToString());
        Assert.Contains("marked corrupt", gone.Error, StringComparison.Ordinal);

        // apikey create, list, revoke (the secret never reaches test output)
        var created = await node.RunAsync("apikey", "create", "--scope", "read", "--name", "e2e", "--json");
        Assert.True(created.Code == 0, $"apikey create: exit {created.Code}: {created.Error}");
        string keyId, secret;
        using (var json = JsonDocument.Parse(created.Output))
        {
            keyId = json.RootElement.GetProperty("key").GetProperty("id").GetString()!;
            secret = json.RootElement.GetProperty("secret").GetString()!;
            Assert.Equal(("read", "e2e"), (json.RootElement.GetProperty("key").GetProperty("scope").GetString(),
                json.RootElement.GetProperty("key").GetProperty("name").GetString()));
        }

        SecretAssert.HasForm(secret, keyId);
        var keys = await node.RunAsync("apikey", "list", "--json");
        Assert.True(keys.Code == 0, keys.ToString());
        SecretAssert.NotIn(secret, keys.Output, "apikey list");
        var key = Assert.Single(JsonDocument.Parse(keys.Output).RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal((keyId, 0L), (key.GetProperty("id").GetString(), key.GetProperty("revokedAt").GetInt64()));
        var revoked = await node.JsonAsync("apikey", "revoke", keyId);
        Assert.Equal(keyId, revoked.GetProperty("id").GetString());
        Assert.True(revoked.GetProperty("revokedAt").GetInt64() > 0);

        // and the node is still sound after all of it
        Assert.True((await node.JsonAsync("log", "verify")).GetProperty("intact").GetBoolean());
        node.Daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await node.Daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Observe_reason_status_and_the_guardian_stop_work_against_a_running_node(string kind)
    {
        using var node = await Session.StartAsync(kind);
        var csv = Sp500.WriteHead(node.Directory.Combine("sp500.csv"), 301);
        var broken = node.Directory.Combine("broken.csv");
        var lines = File.ReadAllLines(csv).Take(101).ToList();
        lines.Insert(4, "2000-01-06,1,2,three,4,5,6");
        File.WriteAllLines(broken, lines);

        // observe --json: one line per bar, in order
        var observed = await node.RunAsync("observe", "--csv", csv, "--json");
        Assert.True(observed.Code == 0, observed.ToString());
        var bars = observed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(300, bars.Count);
        Assert.All(bars, b => Assert.Equal("sp500", b.GetProperty("subject").GetString()));
        Assert.Equal("2000-01-03", bars[0].GetProperty("date").GetString());
        Assert.Equal(bars.Select(b => b.GetProperty("time").GetInt64()).Order(), bars.Select(b => b.GetProperty("time").GetInt64()));
        var concluded = bars.Where(b => b.GetProperty("conclusion").ValueKind == JsonValueKind.Object).ToList();
        Assert.NotEmpty(concluded);
        Assert.All(concluded, b => Assert.InRange(b.GetProperty("conclusion").GetProperty("confidence").GetDouble(), 0, 1));
        Assert.True(bars[^1].GetProperty("features").TryGetProperty("atr14", out _));

        // observe (text) with a malformed line: reported by number, skipped, exit 1
        var text = await node.RunAsync("observe", "--csv", broken);
        Assert.True(text.Code == 1, text.ToString());
        Assert.Contains($"{broken}:5: low: 'three' is not a finite number; line skipped", text.Error, StringComparison.Ordinal);
        Assert.NotEmpty(text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.All(text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^\d{4}-\d\d-\d\d  [a-z_]+ +[-+]?[01]  [01]\.\d{3}  ", line));
        var missing = await node.RunAsync("observe", "--csv", node.Directory.Combine("absent.csv"));
        Assert.True(missing.Code == 2, missing.ToString());
        Assert.Contains("absent.csv", missing.Error, StringComparison.Ordinal);

        // reason status
        var status = await node.JsonAsync("reason", "status");
        Assert.Equal(400, status.GetProperty("latency").GetProperty("observations").GetInt64());
        Assert.InRange(status.GetProperty("subjects").GetInt32(), 2, 3); // and the node itself, once a health sample is in
        Assert.Equal(["kyle", "joey", "kenny", "aletheia", "id"], status.GetProperty("reasoners").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.False(status.GetProperty("automatic").GetProperty("stopped").GetBoolean());
        var table = await node.RunAsync("reason", "status");
        Assert.True(table.Code == 0, table.ToString());
        Assert.StartsWith("REASONER", table.Output, StringComparison.Ordinal);
        Assert.Contains("automatic approval: on", table.Output, StringComparison.Ordinal);

        // decisions stop, shown in reason status, and resume
        var stopped = await node.JsonAsync("decisions", "stop", "--reason", "e2e review", "--guardian", "ada");
        Assert.Equal((true, "ada", "e2e review"), (stopped.GetProperty("stopped").GetBoolean(), stopped.GetProperty("stoppedBy").GetString(),
            stopped.GetProperty("reason").GetString()));
        Assert.True((await node.JsonAsync("reason", "status")).GetProperty("automatic").GetProperty("stopped").GetBoolean());
        var shown = await node.RunAsync("reason", "status");
        Assert.Contains("automatic approval: stopped by ada at ", shown.Output, StringComparison.Ordinal);
        var resumed = await node.RunAsync("decisions", "resume");
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Equal("automatic approval: on\n", resumed.Output);
        Assert.False((await node.JsonAsync("reason", "status")).GetProperty("automatic").GetProperty("stopped").GetBoolean());

        // audit: the self-audit over the live node; exit 1 exactly when a check fails
        var audit = await node.RunAsync("audit", "--json");
        Assert.True(audit.Code is 0 or 1, audit.ToString());
        var checks = JsonDocument.Parse(audit.Output).RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(24, checks.Count);
        Assert.Equal(audit.Code == 1, checks.Any(c => c.GetProperty("status").GetString() == "fail"));
        var auditTable = await node.RunAsync("audit");
        Assert.StartsWith("CATEGORY", auditTable.Output, StringComparison.Ordinal);
        Assert.Contains("ethics.explanations", auditTable.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_socket_that_does_not_exist_is_exit_3_naming_the_socket(string kind)
    {
        using var dir = new TempDirectory();
        var socket = dir.Combine("nowhere", "api.sock");

        var result = await NodeCtlProcess.RunAsync(kind, "status", "--json", "--socket", socket);

        Assert.True(result.Code == 3, result.ToString());
        Assert.Empty(result.Output);
        Assert.Contains(socket, result.Error, StringComparison.Ordinal);
    }
}
