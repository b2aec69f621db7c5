using System.Text.Json;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Peers;
using Node.Federation.Trust;
using Node.Protocol.Packets;
using Node.Storage;
using Node.Testing.Storage;

namespace Node.Federation.Tests.Support;

/// <summary>
/// A real store with this node's identity on a fake clock, the packets it authors, and its scrub;
/// and ways to change a stored packet's bytes behind the store's back, as bit rot or a hand would.
/// </summary>
public sealed class ScrubNode : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2027, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private long _hlc = 1_000_000;

    public ScrubNode(StoreOptions? options = null)
    {
        Options = options ?? new StoreOptions();
        Store = NodeStore.Open(_dir.Path, Options, Time, NullLogger.Instance);
        Identity = IdentityHost.LoadOrCreate(_dir.Path, NullLogger<IdentityHost>.Instance);
        Local = new LocalPackets(Store, Identity);
        Scrub = new PacketScrub(Store, Identity, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<PacketScrub>.Instance);
        Slots = new KnowledgeSlots(Store, new PeerRegistry(Store), Identity, Scrub);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public StoreOptions Options { get; }

    public NodeStore Store { get; }

    public IdentityHost Identity { get; }

    public LocalPackets Local { get; }

    public PacketScrub Scrub { get; }

    public KnowledgeSlots Slots { get; }

    public string Directory => _dir.Path;

    /// <summary>Signs and stores a note of this node in (<paramref name="topic"/>, <paramref name="key"/>), each later than the last.</summary>
    public async Task<byte[]> PutAsync(string topic, string key, string text)
    {
        var result = await Local.PutAsync(new PacketBody
        {
            Author = Identity.Identity.Id.ToString(),
            Topic = topic,
            Key = key,
            Kind = PacketKind.Note,
            MediaType = "text/plain; charset=utf-8",
            Content = ByteString.CopyFromUtf8(text),
            Hlc = (ulong)Interlocked.Increment(ref _hlc) << 16,
        }, TestContext.Current.CancellationToken);
        Assert.Equal(IntakeOutcome.Stored, result.Outcome);
        return result.Check.Packet!.Id;
    }

    /// <summary>The stored envelope of <paramref name="id"/>, as bytes on disk (marked or not).</summary>
    public byte[] Envelope(byte[] id) => PacketTamper.Envelope(Store.Path, id);

    /// <summary>Flips one bit of the stored envelope of <paramref name="id"/>: inside the payload, or inside the signature.</summary>
    public void FlipBit(byte[] id, bool inSignature = false) => PacketTamper.FlipBit(Store.Path, id, inSignature);

    /// <summary>Runs an UPDATE of the packet <paramref name="id"/> with <c>$value</c> bound.</summary>
    public void Execute(string sql, byte[] id, object value) => PacketTamper.Update(Store.Path, sql, id, value);

    /// <summary>The events of <paramref name="kind"/>, oldest first, as JSON.</summary>
    public IReadOnlyList<JsonElement> Events(string kind)
    {
        using var reader = Store.OpenReader();
        return [.. reader.Events.After(0, int.MaxValue).Where(e => e.Kind == kind).Select(e => JsonDocument.Parse(e.Payload).RootElement.Clone())];
    }

    public async ValueTask DisposeAsync()
    {
        Scrub.Dispose();
        await Store.DisposeAsync();
        Identity.Dispose();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
