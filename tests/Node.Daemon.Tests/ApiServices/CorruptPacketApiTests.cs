using Google.Protobuf;
using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Storage;
using Node.Testing.Storage;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>A running node whose stored packet's bytes were changed behind its back: never served, named by a scrub, counted everywhere.</summary>
public sealed class CorruptPacketApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<List<PutKnowledgeReply>> PutAsync(ApiNode node, params string[] values)
    {
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);
        var replies = new List<PutKnowledgeReply>();
        foreach (var value in values)
        {
            replies.Add(await client.PutAsync(new PutKnowledgeRequest { Topic = "price", Key = "btc", Content = ByteString.CopyFromUtf8(value) },
                cancellationToken: Token));
        }

        return replies;
    }

    private static string Database(ApiNode node) => Path.Combine(node.DataDirectory, NodeStore.FileName);

    [Fact]
    public async Task A_packet_whose_bytes_changed_is_not_served_by_id_list_or_slot_and_the_node_says_why()
    {
        await using var node = await ApiNode.StartAsync();
        var puts = await PutAsync(node, "1", "2", "3");
        PacketTamper.FlipBit(Database(node), Convert.FromHexString(puts[2].Id));
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);

        var byId = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new GetKnowledgeRequest { Id = puts[2].Id }, cancellationToken: Token).ResponseAsync);
        var again = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new GetKnowledgeRequest { Id = puts[2].Id }, cancellationToken: Token).ResponseAsync);
        var list = await client.ListAsync(new ListKnowledgeRequest { Topic = "price" }, cancellationToken: Token);
        var slot = await client.GetAsync(new GetKnowledgeRequest { Slot = new Slot { Topic = "price", Key = "btc" } }, cancellationToken: Token);

        Assert.Equal(StatusCode.DataLoss, byId.StatusCode);
        Assert.Contains($"Packet {puts[2].Id} is stored here but marked corrupt (payload hashes to ", byId.Status.Detail, StringComparison.Ordinal);
        // The first read marked it; the second finds the mark.
        Assert.Equal((StatusCode.DataLoss, byId.Status.Detail), (again.StatusCode, again.Status.Detail));
        Assert.Equal([puts[0].Id, puts[1].Id], list.Packets.Select(p => p.Id));
        Assert.Equal(puts[1].Id, slot.Id);
        Assert.DoesNotContain(puts[2].Id, slot.Contenders);
        var status = await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Token);
        Assert.Equal((3, 1), (status.Store.Packets, status.Store.CorruptPackets));
        var verify = await new LogService.LogServiceClient(node.Channel).VerifyAsync(new VerifyLogRequest(), cancellationToken: Token);
        Assert.True(verify.Intact);
        Assert.Equal(1, verify.CorruptPackets);
    }

    [Fact]
    public async Task A_scrub_names_a_packet_whose_signature_no_longer_verifies_and_from_then_on_it_is_not_served()
    {
        await using var node = await ApiNode.StartAsync();
        var puts = await PutAsync(node, "1", "2");
        // Only the signature changed: it still hashes to its id, so only the scrub's signature check finds it.
        PacketTamper.FlipBit(Database(node), Convert.FromHexString(puts[0].Id), inSignature: true);
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);
        Assert.Equal(puts[0].Id, (await client.GetAsync(new GetKnowledgeRequest { Id = puts[0].Id }, cancellationToken: Token)).Id);

        var scrub = await new StoreService.StoreServiceClient(node.Channel).ScrubAsync(new ScrubRequest(), cancellationToken: Token);

        Assert.Equal((2, 0, 1, 1), (scrub.Checked, scrub.Unverified, scrub.Marked, scrub.Corrupt));
        var named = Assert.Single(scrub.CorruptPackets);
        Assert.Equal((puts[0].Id, puts[0].Seq), (named.Id, named.Seq));
        Assert.Contains("signature", named.Reason, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new GetKnowledgeRequest { Id = puts[0].Id }, cancellationToken: Token).ResponseAsync);
        Assert.Equal(StatusCode.DataLoss, refused.StatusCode);
        var dependent = await Assert.ThrowsAsync<RpcException>(() => client.PutAsync(
            new PutKnowledgeRequest { Topic = "t", Key = "k", Dependencies = { puts[0].Id } }, cancellationToken: Token).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, dependent.StatusCode);
        Assert.Contains("is marked corrupt here", dependent.Status.Detail, StringComparison.Ordinal);
        var audit = await new ReasoningService.ReasoningServiceClient(node.Channel).AuditAsync(new AuditRequest(), cancellationToken: Token);
        var store = audit.Checks.Single(c => c.Id == "memory.store");
        Assert.Equal(("fail", "The store is not sound: 1 stored packet(s) marked corrupt."), (store.Status, store.Finding));
    }
}

/// <summary><c>sovereign-node restore</c> verifies every packet of the backup first.</summary>
public sealed class RestoreVerificationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Func<Node.Daemon.CommandLine.DaemonCommandLine, DaemonLaunch> Launch(string directory) =>
        commandLine => new DaemonLaunch(commandLine, DaemonProcess.Quiet.ToDictionary(p => p.Key, p => (string?)p.Value), directory, Environment.ProcessId);

    [Fact]
    public async Task A_backup_holding_a_packet_whose_bytes_changed_is_refused_naming_it_and_restores_only_when_told_to_mark_it()
    {
        using var backups = new TempDirectory();
        var backup = backups.Combine("node.backup");
        var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);
        var good = await client.PutAsync(new PutKnowledgeRequest { Topic = "t", Key = "a", Content = ByteString.CopyFromUtf8("kept") }, cancellationToken: Token);
        var bad = await client.PutAsync(new PutKnowledgeRequest { Topic = "t", Key = "b", Content = ByteString.CopyFromUtf8("rots") }, cancellationToken: Token);
        using (var create = new BackupService.BackupServiceClient(node.Channel).Create(new CreateBackupRequest { Path = backup }, cancellationToken: Token))
        {
            await create.ResponseStream.ReadAllAsync(Token).ToListAsync(Token);
        }

        PacketTamper.FlipBit(backup, Convert.FromHexString(bad.Id), inSignature: true);
        var (refusedCode, refusedOut, refusedError, restoredCode, restoredOut) = (0, "", "", 0, "");
        await using var restarted = await node.RestartAsync(async directory =>
        {
            var data = Path.Combine(directory, ".node");
            var database = await File.ReadAllBytesAsync(Path.Combine(data, NodeStore.FileName), Token);
            var output = new StringWriter();
            var error = new StringWriter();
            refusedCode = await DaemonProgram.RunAsync(["restore", "--from", backup, "--data-dir", data], Launch(directory), output, error, stoppingToken: Token);
            (refusedOut, refusedError) = (output.ToString(), error.ToString());
            Assert.Equal(database, await File.ReadAllBytesAsync(Path.Combine(data, NodeStore.FileName), Token));

            output = new StringWriter();
            restoredCode = await DaemonProgram.RunAsync(["restore", "--from", backup, "--data-dir", data, "--mark-corrupt"], Launch(directory), output,
                TextWriter.Null, stoppingToken: Token);
            restoredOut = output.ToString();
        });

        Assert.Equal(ExitCodes.Failure, refusedCode);
        Assert.Equal("", refusedOut);
        Assert.Contains($"restore refused, nothing was changed: Backup {backup} holds 1 packet(s) whose stored bytes do not verify: {bad.Id} (seq {bad.Seq}): the signature of author",
            refusedError, StringComparison.Ordinal);
        Assert.Contains($"sovereign-node restore --from {backup} --mark-corrupt", refusedError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, restoredCode);
        Assert.Contains("Verified its 2 packets: 1 sound, 1 corrupt, restored marked corrupt (kept, never served or synced):", restoredOut, StringComparison.Ordinal);
        Assert.Contains($"  corrupt {bad.Id} (seq {bad.Seq}): the signature of author", restoredOut, StringComparison.Ordinal);
        var restoredClient = new KnowledgeService.KnowledgeServiceClient(restarted.Channel);
        Assert.Equal("kept", (await restoredClient.GetAsync(new GetKnowledgeRequest { Id = good.Id }, cancellationToken: Token)).Content.ToStringUtf8());
        var refused = await Assert.ThrowsAsync<RpcException>(() => restoredClient.GetAsync(new GetKnowledgeRequest { Id = bad.Id }, cancellationToken: Token).ResponseAsync);
        Assert.Equal(StatusCode.DataLoss, refused.StatusCode);
    }
}

/// <summary>Retractions never come back: restoring a backup taken before a retraction does not bring the retracted packet back.</summary>
public sealed class RestoreRetractionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Func<Node.Daemon.CommandLine.DaemonCommandLine, DaemonLaunch> Launch(string directory) =>
        commandLine => new DaemonLaunch(commandLine, DaemonProcess.Quiet.ToDictionary(p => p.Key, p => (string?)p.Value), directory, Environment.ProcessId);

    [Fact]
    public async Task A_packet_retracted_after_the_backup_stays_retracted_once_the_backup_is_restored()
    {
        using var backups = new TempDirectory();
        var backup = backups.Combine("node.backup");
        var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);
        var value = await client.PutAsync(new PutKnowledgeRequest { Topic = "t", Key = "k", Content = ByteString.CopyFromUtf8("wrong"), Scope = Node.Protocol.Packets.ShareScope.Core },
            cancellationToken: Token);
        var kept = await client.PutAsync(new PutKnowledgeRequest { Topic = "t", Key = "other", Content = ByteString.CopyFromUtf8("fine") }, cancellationToken: Token);
        using (var create = new BackupService.BackupServiceClient(node.Channel).Create(new CreateBackupRequest { Path = backup }, cancellationToken: Token))
        {
            await create.ResponseStream.ReadAllAsync(Token).ToListAsync(Token);
        }

        var retraction = await client.RetractAsync(new RetractRequest { Id = value.Id }, cancellationToken: Token);

        var restoredOut = "";
        var restoredCode = -1;
        await using var restarted = await node.RestartAsync(async directory =>
        {
            var output = new StringWriter();
            restoredCode = await DaemonProgram.RunAsync(["restore", "--from", backup, "--data-dir", Path.Combine(directory, ".node")], Launch(directory),
                output, TextWriter.Null, stoppingToken: Token);
            restoredOut = output.ToString();
        });

        Assert.Equal(0, restoredCode);
        Assert.Contains("1 retraction(s) the replaced database held and the backup lacks are applied at the next start", restoredOut, StringComparison.Ordinal);
        var after = new KnowledgeService.KnowledgeServiceClient(restarted.Channel);
        var gone = await Assert.ThrowsAsync<RpcException>(() => after.GetAsync(new GetKnowledgeRequest { Id = value.Id }, cancellationToken: Token).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Equal(retraction.Id, (await after.GetAsync(new GetKnowledgeRequest { Id = retraction.Id }, cancellationToken: Token)).Id);
        Assert.Equal(kept.Id, (await after.GetAsync(new GetKnowledgeRequest { Id = kept.Id }, cancellationToken: Token)).Id);
    }
}
