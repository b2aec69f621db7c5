using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Node.Federation.Identity;
using Node.Federation.Tests.Support;
using Node.Storage.Identity;

namespace Node.Federation.Tests.Identity;

/// <summary>
/// Rotating this node's own key: the request keeps the new key and the statement, the next start
/// applies it, and every state a crash can leave the files in starts with a usable identity and the
/// statement kept. Crash points are simulated by putting the files in the state the crash leaves.
/// </summary>
public sealed class IdentityRotationTests : IAsyncDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly PeerStore _node = new();
    private readonly FakeLogCollector _logs = new();
    private readonly LoggerFactory _loggers;

    public IdentityRotationTests() => _loggers = new LoggerFactory([new FakeLoggerProvider(_logs)]);

    public async ValueTask DisposeAsync()
    {
        _loggers.Dispose();
        await _node.DisposeAsync();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string KeyPath => Path.Combine(_node.Directory, NodeIdentity.FileName);

    private string PendingPath => Path.Combine(_node.Directory, IdentityRotation.PendingFileName);

    private IdentityHost Load() => IdentityHost.LoadOrCreate(_node.Directory, _loggers.CreateLogger<IdentityHost>());

    private Task<IdentityHost> StartAsync(IdentityHost loaded) =>
        IdentityRotation.OpenAsync(loaded, _node.Store, _loggers.CreateLogger<IdentityRotation>(), Cancel);

    // A start: the key loaded, then any rotation applied.
    private async Task<IdentityHost> StartAsync() => await StartAsync(Load());

    private async Task<RotationRequest> RequestAsync(IdentityHost host)
    {
        using var rotation = new IdentityRotation(host, _node.Store, _node.Time, _loggers.CreateLogger<IdentityRotation>());
        return await rotation.RequestAsync("alice", Cancel);
    }

    private IReadOnlyList<OwnRotationRow> Rows()
    {
        using var reader = _node.Store.OpenReader();
        return reader.OwnRotations.All();
    }

    private IReadOnlyList<string> Kinds() => [.. _node.Events().Select(e => e.Kind).Where(k => k.StartsWith("identity.", StringComparison.Ordinal))];

    [Fact]
    public async Task A_request_keeps_the_new_key_0600_and_the_statement_and_the_node_keeps_its_id_until_it_starts_again()
    {
        using var host = await StartAsync();
        var old = host.Identity.Id;

        var request = await RequestAsync(host);

        Assert.Equal((RotationRequestOutcome.Pending, old), (request.Outcome, request.Old));
        Assert.NotEqual(old, request.New);
        Assert.Equal(host.Identity.Id, old);
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(PendingPath));
        Assert.False(File.Exists(PendingPath + ".new"));
        var row = Assert.Single(Rows());
        Assert.Equal((old.ToString(), request.New.ToString(), null), (row.OldId, row.NewId, row.AppliedAt));
        var check = KeyRotations.Verify(row.Statement);
        Assert.True(check.IsValid, check.Detail);
        Assert.Equal((old, request.New), (check.OldId, check.NewId));
        var (kind, payload) = _node.Events()[^1];
        Assert.Equal("identity.rotation_requested", kind);
        Assert.Equal($$"""{"old":"{{old}}","new":"{{request.New}}","by":"alice"}""", payload.GetRawText());
        AssertNoKeyInLogs();
    }

    [Fact]
    public async Task A_second_request_while_one_waits_is_refused_and_changes_nothing()
    {
        using var host = await StartAsync();
        var first = await RequestAsync(host);
        var pendingKey = await File.ReadAllBytesAsync(PendingPath, Cancel);

        var second = await RequestAsync(host);

        Assert.Equal((RotationRequestOutcome.AlreadyPending, first.New, first.RequestedAt), (second.Outcome, second.New, second.RequestedAt));
        Assert.Equal(pendingKey, await File.ReadAllBytesAsync(PendingPath, Cancel));
        Assert.Single(Rows());
        Assert.Equal(["identity.rotation_requested"], Kinds());
    }

    [Fact]
    public async Task The_next_start_makes_the_new_key_the_identity_destroys_the_old_one_and_sends_the_statement()
    {
        var old = await StartAsync();
        var oldId = old.Identity.Id;
        var request = await RequestAsync(old);
        old.Dispose();

        using var host = await StartAsync();

        Assert.Equal(request.New, host.Identity.Id);
        Assert.False(File.Exists(PendingPath));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeyPath));
        using (var onDisk = NodeIdentity.LoadExisting(_node.Directory))
        {
            Assert.Equal(request.New, onDisk!.Id);
        }

        Assert.Equal([NodeIdentity.FileName], Directory.GetFiles(_node.Directory, NodeIdentity.FileName + "*").Select(Path.GetFileName));
        var row = Assert.Single(Rows());
        Assert.Equal(_node.Time.GetUtcNow().ToUnixTimeMilliseconds(), row.AppliedAt);
        Assert.Equal([row.Statement], host.Rotations);
        var (kind, payload) = _node.Events()[^1];
        Assert.Equal("identity.rotated", kind);
        Assert.Equal($$"""{"old":"{{oldId}}","new":"{{request.New}}"}""", payload.GetRawText());
        AssertNoKeyInLogs();

        // Started again: nothing more happens.
        host.Dispose();
        var events = _node.Events().Count;
        using var again = await StartAsync();
        Assert.Equal((request.New, events), (again.Identity.Id, _node.Events().Count));
        Assert.Equal([row.Statement], again.Rotations);
    }

    [Fact]
    public async Task A_crash_while_the_new_key_was_written_leaves_the_old_identity_and_nothing_recorded()
    {
        var old = await StartAsync();
        var oldId = old.Identity.Id;
        old.Dispose();
        await File.WriteAllTextAsync(PendingPath + ".new", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2", Cancel); // cut short

        using var host = await StartAsync();

        Assert.Equal(oldId, host.Identity.Id);
        Assert.False(File.Exists(PendingPath + ".new"));
        Assert.Empty(host.Rotations);
        Assert.Empty(Rows());
    }

    [Fact]
    public async Task A_crash_after_the_key_but_before_the_statement_destroys_the_key_and_keeps_the_old_identity()
    {
        var old = await StartAsync();
        var oldId = old.Identity.Id;
        old.Dispose();
        using (var stray = NodeIdentity.CreateEphemeral())
        {
            stray.WriteKeyFile(PendingPath, PendingPath + ".new");
        }

        using var host = await StartAsync();

        Assert.Equal(oldId, host.Identity.Id);
        Assert.False(File.Exists(PendingPath));
        Assert.Empty(Rows());
        Assert.Contains(_logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("keeps its id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_crash_after_the_rename_is_finished_at_the_next_start_with_the_statement_kept()
    {
        var old = await StartAsync();
        var oldId = old.Identity.Id;
        var request = await RequestAsync(old);
        old.Dispose();
        File.Move(PendingPath, KeyPath, overwrite: true); // the rename landed; the store never heard

        using var host = await StartAsync();

        Assert.Equal(request.New, host.Identity.Id);
        var row = Assert.Single(Rows());
        Assert.NotNull(row.AppliedAt);
        Assert.Equal([row.Statement], host.Rotations);
        Assert.Equal(["identity.rotation_requested", "identity.rotated"], Kinds());
        Assert.Equal($$"""{"old":"{{oldId}}","new":"{{request.New}}"}""", _node.Events()[^1].Payload.GetRawText());
    }

    [Fact]
    public async Task A_statement_whose_key_is_gone_is_abandoned_and_a_new_rotation_may_be_asked_for()
    {
        var old = await StartAsync();
        var oldId = old.Identity.Id;
        await RequestAsync(old);
        old.Dispose();
        File.Delete(PendingPath);

        using var host = await StartAsync();

        Assert.Equal(oldId, host.Identity.Id);
        Assert.Empty(Rows());
        Assert.Empty(host.Rotations);
        Assert.Equal(RotationRequestOutcome.Pending, (await RequestAsync(host)).Outcome);
    }

    [Fact]
    public async Task An_unreadable_waiting_key_is_destroyed_and_the_node_keeps_its_id()
    {
        var old = await StartAsync();
        var oldId = old.Identity.Id;
        await RequestAsync(old);
        old.Dispose();
        await File.WriteAllTextAsync(PendingPath, "not a key", Cancel);

        using var host = await StartAsync();

        Assert.Equal(oldId, host.Identity.Id);
        Assert.False(File.Exists(PendingPath));
        Assert.Empty(Rows());
    }

    [Fact]
    public async Task Rotated_again_and_again_a_node_sends_its_newest_four_statements_oldest_first()
    {
        var ids = new List<NodeId>();
        var host = await StartAsync();
        ids.Add(host.Identity.Id);
        for (var i = 0; i < 5; i++)
        {
            await RequestAsync(host);
            host.Dispose();
            _node.Time.Advance(TimeSpan.FromMinutes(1));
            host = await StartAsync();
            ids.Add(host.Identity.Id);
        }

        using (host)
        {
            Assert.Equal(5, Rows().Count);
            Assert.Equal(4, host.Rotations.Count);
            var sent = host.Rotations.Select(s => KeyRotations.Verify(s)).ToList();
            Assert.Equal(ids.Skip(1).SkipLast(1), sent.Select(c => c.OldId));
            Assert.Equal(ids.Skip(2), sent.Select(c => c.NewId));
            using var rotation = new IdentityRotation(host, _node.Store, _node.Time, _loggers.CreateLogger<IdentityRotation>());
            Assert.Equal(ids.SkipLast(1).Select(i => i.ToString()), rotation.History().Select(r => r.OldId));
        }
    }

    [Fact]
    public void The_chain_is_what_leads_to_the_current_id_at_most_max_oldest_first()
    {
        OwnRotationRow Row(string from, string to, long at, long? applied = 1) => new(from, to, [(byte)at], at, applied);
        IReadOnlyList<OwnRotationRow> rows =
        [
            Row("E", "F", 5, null), // waiting: from the current id, not to it
            Row("A", "B", 1), Row("C", "D", 3), Row("B", "C", 2), Row("D", "E", 4),
            Row("X", "Y", 0), // not on the chain
        ];

        Assert.Equal(["A", "B", "C", "D"], IdentityRotation.Chain(rows, "E", 4).Select(r => r.OldId));
        Assert.Equal(["C", "D"], IdentityRotation.Chain(rows, "E", 2).Select(r => r.OldId));
        Assert.Equal(["A", "B"], IdentityRotation.Chain(rows, "C", 4).Select(r => r.OldId));
        Assert.Empty(IdentityRotation.Chain(rows, "A", 4));
        Assert.Empty(IdentityRotation.Chain(rows, "Q", 4));
        Assert.Empty(IdentityRotation.Chain(rows, "E", 0));
        // A loop (only a hand-edited store has one) ends the walk.
        Assert.Equal(["Q"], IdentityRotation.Chain([Row("P", "Q", 1), Row("Q", "P", 2)], "P", 4).Select(r => r.OldId));
    }

    private void AssertNoKeyInLogs()
    {
        foreach (var record in _logs.GetSnapshot())
        {
            Assert.DoesNotContain("PRIVATE KEY", record.Message, StringComparison.Ordinal);
        }
    }
}
