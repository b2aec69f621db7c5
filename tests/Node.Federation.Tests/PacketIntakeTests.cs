using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Packets;
using Node.Storage;

namespace Node.Federation.Tests;

/// <summary>Packets into a real store: checked, stored or held, and released when what they wait for arrives.</summary>
public sealed class PacketIntakeTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovereign-intake-test-").FullName;
    private readonly NodeIdentity _author = NodeIdentity.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());
    private readonly NodeStore _store;
    private readonly PacketIntake _intake;

    public PacketIntakeTests()
    {
        _store = NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance);
        var keys = new KeyDirectory();
        keys.Add(_author.PublicKey);
        _intake = new PacketIntake(_store.Writer, keys);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _author.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private (byte[] Id, byte[] Envelope) Packet(string key, params byte[][] dependencies)
    {
        var body = new PacketBody
        {
            Author = _author.Id.ToString(),
            Topic = "notes",
            Key = key,
            Kind = PacketKind.Note,
            MediaType = "text/plain; charset=utf-8",
            Content = ByteString.CopyFromUtf8(key),
            Hlc = 1UL << 16,
        };
        body.Dependencies.AddRange(dependencies.Select(ByteString.CopyFrom));
        return PacketSigner.Sign(body, _author);
    }

    private long StoredCount()
    {
        using var reader = _store.OpenReader();
        using var count = reader.CreateCommand();
        count.CommandText = "SELECT count(*) FROM packets";
        return (long)count.ExecuteScalar()!;
    }

    [Fact]
    public async Task A_valid_packet_is_stored_once_and_recorded_as_accepted()
    {
        var (id, envelope) = Packet("a");

        var first = await _intake.AcceptAsync(envelope, cancellationToken: TestContext.Current.CancellationToken);
        var again = await _intake.AcceptAsync(envelope, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.Stored, first.Outcome);
        Assert.Equal(IntakeOutcome.Duplicate, again.Outcome);
        Assert.Equal(first.Seq, again.Seq);
        Assert.Equal(id, first.Check.Packet!.Id);
        Assert.Equal(1, StoredCount());
        Assert.True(_store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task A_packet_whose_dependencies_are_missing_is_held_then_released_in_order()
    {
        var a = Packet("a");
        var b = Packet("b", a.Id);
        var c = Packet("c", b.Id, a.Id);

        var heldC = await _intake.AcceptAsync(c.Envelope, "peer", cancellationToken: TestContext.Current.CancellationToken);
        var heldB = await _intake.AcceptAsync(b.Envelope, "peer", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((IntakeOutcome.Held, 2), (heldC.Outcome, heldC.Missing.Count));
        Assert.Equal((IntakeOutcome.Held, 1), (heldB.Outcome, heldB.Missing.Count));
        Assert.Equal(0, StoredCount());

        var stored = await _intake.AcceptAsync(a.Envelope, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.Stored, stored.Outcome);
        Assert.Equal([Convert.ToHexString(b.Id), Convert.ToHexString(c.Id)], stored.Released.Select(Convert.ToHexString));
        Assert.Equal(3, StoredCount());
        using var reader = _store.OpenReader();
        using var held = reader.CreateCommand();
        held.CommandText = "SELECT (SELECT count(*) FROM held_packets) + (SELECT count(*) FROM held_missing)";
        Assert.Equal(0L, (long)held.ExecuteScalar()!);
    }

    [Fact]
    public async Task A_refused_packet_leaves_the_store_untouched()
    {
        var (_, envelope) = Packet("a");
        envelope[^1] ^= 0x01; // inside the signature

        var result = await _intake.AcceptAsync(envelope, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.Refused, result.Outcome);
        Assert.Equal(PacketOutcome.BadSignature, result.Check.Outcome);
        Assert.Equal(0, StoredCount());
    }

    [Fact]
    public async Task A_packet_offered_under_another_id_is_refused()
    {
        var (id, envelope) = Packet("a");
        id[0] ^= 0xFF;

        var result = await _intake.AcceptAsync(envelope, expectedId: id, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(PacketOutcome.BadHash, result.Check.Outcome);
    }
}
