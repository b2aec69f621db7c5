using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Packets;
using Node.Storage;

namespace Node.Federation.Tests;

/// <summary>Packets into a real store: checked, stored or held, and released when what they wait for arrives.</summary>
public sealed class PacketIntakeTests() : IntakeStore(7)
{
    private PacketIntake Intake => new(Store.Writer, Keys);

    private (byte[] Id, byte[] Envelope) Packet(string key, params byte[][] dependencies)
    {
        var body = new PacketBody
        {
            Author = Author.Id.ToString(),
            Topic = "notes",
            Key = key,
            Kind = PacketKind.Note,
            MediaType = "text/plain; charset=utf-8",
            Content = ByteString.CopyFromUtf8(key),
            Hlc = 1UL << 16,
        };
        body.Dependencies.AddRange(dependencies.Select(ByteString.CopyFrom));
        return PacketSigner.Sign(body, Author);
    }

    private long StoredCount()
    {
        using var reader = Store.OpenReader();
        return reader.Packets.Count();
    }

    [Fact]
    public async Task A_valid_packet_is_stored_once_and_recorded_as_accepted()
    {
        var (id, envelope) = Packet("a");

        var first = await Intake.AcceptAsync(envelope, cancellationToken: TestContext.Current.CancellationToken);
        var again = await Intake.AcceptAsync(envelope, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.Stored, first.Outcome);
        Assert.Equal(IntakeOutcome.Duplicate, again.Outcome);
        Assert.Equal(first.Seq, again.Seq);
        Assert.Equal(id, first.Check.Packet!.Id);
        Assert.Equal(1, StoredCount());
        Assert.True(Store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task A_packet_whose_dependencies_are_missing_is_held_then_released_in_order()
    {
        var a = Packet("a");
        var b = Packet("b", a.Id);
        var c = Packet("c", b.Id, a.Id);

        var heldC = await Intake.AcceptAsync(c.Envelope, "peer", cancellationToken: TestContext.Current.CancellationToken);
        var heldB = await Intake.AcceptAsync(b.Envelope, "peer", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((IntakeOutcome.Held, 2), (heldC.Outcome, heldC.Missing.Count));
        Assert.Equal((IntakeOutcome.Held, 1), (heldB.Outcome, heldB.Missing.Count));
        Assert.Equal(0, StoredCount());

        var stored = await Intake.AcceptAsync(a.Envelope, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.Stored, stored.Outcome);
        Assert.Equal([Convert.ToHexString(b.Id), Convert.ToHexString(c.Id)], stored.Released.Select(Convert.ToHexString));
        Assert.Equal(3, StoredCount());
        using var reader = Store.OpenReader();
        Assert.Equal(0L, reader.Packets.HeldCount() + reader.Packets.HeldDependencyCount());
    }

    [Fact]
    public async Task A_refused_packet_leaves_the_store_untouched()
    {
        var (_, envelope) = Packet("a");
        envelope[^1] ^= 0x01; // inside the signature

        var result = await Intake.AcceptAsync(envelope, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.Refused, result.Outcome);
        Assert.Equal(PacketOutcome.BadSignature, result.Check.Outcome);
        Assert.Equal(0, StoredCount());
    }

    [Fact]
    public async Task A_packet_offered_under_another_id_is_refused()
    {
        var (id, envelope) = Packet("a");
        id[0] ^= 0xFF;

        var result = await Intake.AcceptAsync(envelope, expectedId: id, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(PacketOutcome.BadHash, result.Check.Outcome);
    }

    // The batch is looked up once ahead; what the batch itself changes must still be seen by the packets after it.
    [Fact]
    public async Task In_one_batch_packets_waiting_for_a_later_one_are_held_then_released_by_it()
    {
        var a = Packet("a");
        var b = Packet("b", a.Id);
        var c = Packet("c", b.Id);

        var results = await Intake.AcceptBatchAsync([new(c.Envelope), new(b.Envelope), new(a.Envelope), new(b.Envelope)], "peer", PacketDestination.KnowledgeBase,
            TestContext.Current.CancellationToken);

        Assert.Equal([IntakeOutcome.Held, IntakeOutcome.Held, IntakeOutcome.Stored, IntakeOutcome.Duplicate], results.Select(r => r.Outcome));
        Assert.Equal([Convert.ToHexString(b.Id), Convert.ToHexString(c.Id)], results[2].Released.Select(Convert.ToHexString));
        Assert.Equal(3, StoredCount());
        using var reader = Store.OpenReader();
        Assert.Equal(0L, reader.Packets.HeldCount() + reader.Packets.HeldDependencyCount());
        Assert.True(Store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task In_one_batch_a_retraction_removes_a_packet_stored_before_it_and_refuses_a_copy_after_it()
    {
        var value = Packet("k");
        var retraction = PacketSigner.Sign(new PacketBody
        {
            Author = Author.Id.ToString(),
            Topic = "notes",
            Key = "k",
            Kind = PacketKind.Retraction,
            MediaType = "text/plain; charset=utf-8",
            Hlc = (1UL << 16) + 1,
            Supersedes = { ByteString.CopyFrom(value.Id) },
        }, Author);

        var results = await Intake.AcceptBatchAsync([new(value.Envelope), new(retraction.Envelope), new(value.Envelope)], "peer", PacketDestination.KnowledgeBase,
            TestContext.Current.CancellationToken);

        Assert.Equal([IntakeOutcome.Stored, IntakeOutcome.Stored, IntakeOutcome.Retracted], results.Select(r => r.Outcome));
        Assert.Equal(1, StoredCount());
        using var reader = Store.OpenReader();
        Assert.Null(reader.Packets.ById(value.Id));
    }
}

public sealed class PacketIntakeLimitTests() : IntakeStore(8)
{

    private (byte[] Id, byte[] Envelope) Packet(string key, byte[]? dependency = null)
    {
        var body = new PacketBody
        {
            Author = Author.Id.ToString(),
            Topic = "notes",
            Key = key,
            Kind = PacketKind.Note,
            Content = ByteString.CopyFromUtf8(key),
        };
        if (dependency is not null)
        {
            body.Dependencies.Add(ByteString.CopyFrom(dependency));
        }

        return PacketSigner.Sign(body, Author);
    }

    [Fact]
    public async Task A_relays_extra_fields_and_unchecked_cosignatures_are_not_kept()
    {
        var (id, original) = Packet("a");
        var tampered = Envelope.Parser.ParseFrom(original);
        tampered.Signatures.Add(new Signature { Keyid = "AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA", Sig = ByteString.CopyFrom(new byte[64]) });
        var withJunk = tampered.ToByteArray().Concat(new byte[] { 0x7A, 0x03, 1, 2, 3 }).ToArray(); // field 15, unknown

        var result = await new PacketIntake(Store.Writer, Keys).AcceptAsync(withJunk, "relay", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.Stored, result.Outcome);
        Assert.Equal(original, result.Check.Packet!.Envelope);
        using var reader = Store.OpenReader();
        Assert.Equal(original, reader.Packets.ById(id)!.Packet.Envelope);
    }

    [Fact]
    public async Task When_the_hold_is_full_a_packet_waiting_for_others_is_refused_not_held()
    {
        var intake = new PacketIntake(Store.Writer, Keys, maxHeldPackets: 2);
        var missing = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

        var first = await intake.AcceptAsync(Packet("a", missing).Envelope, cancellationToken: TestContext.Current.CancellationToken);
        var second = await intake.AcceptAsync(Packet("b", missing).Envelope, cancellationToken: TestContext.Current.CancellationToken);
        var third = await intake.AcceptAsync(Packet("c", missing).Envelope, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([IntakeOutcome.Held, IntakeOutcome.Held, IntakeOutcome.HoldFull], [first.Outcome, second.Outcome, third.Outcome]);
    }
}

public sealed class PacketIntakeClockTests() : IntakeStore(13)
{

    private sealed class At(long unixMilliseconds) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
    }

    private byte[] PacketAt(string key, long unixMilliseconds) => PacketSigner.Sign(new PacketBody
    {
        Author = Author.Id.ToString(),
        Topic = "notes",
        Key = key,
        Kind = PacketKind.Note,
        Hlc = Node.Federation.Clock.HybridTimestamp.From(unixMilliseconds, 0).Value,
    }, Author).Envelope;

    [Fact]
    public async Task A_packet_from_far_in_the_future_is_refused_and_a_near_one_moves_our_clock()
    {
        const long now = 1_800_000_000_000;
        var clock = new Node.Federation.Clock.HybridClock(new At(now), 0, _ => { });
        var intake = new PacketIntake(Store.Writer, Keys, clock: clock);

        var far = await intake.AcceptAsync(PacketAt("far", now + (long)TimeSpan.FromHours(1).TotalMilliseconds), cancellationToken: TestContext.Current.CancellationToken);
        var near = await intake.AcceptAsync(PacketAt("near", now + 60_000), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.ClockAhead, far.Outcome);
        Assert.Equal(IntakeOutcome.Stored, near.Outcome);
        Assert.True(clock.Now().UnixMilliseconds >= now + 60_000);
    }
}

/// <summary>A real store in a temp folder, an author, and a key directory that knows it; removed after each test.</summary>
public abstract class IntakeStore : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovereign-intake-test-").FullName;

    protected NodeIdentity Author { get; }

    protected NodeStore Store { get; }

    protected KeyDirectory Keys { get; } = new();

    protected IntakeStore(byte seed)
    {
        Author = NodeIdentity.FromSeed(Enumerable.Repeat(seed, 32).ToArray());
        Store = NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance);
        Keys.Add(Author.PublicKey);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Author.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
