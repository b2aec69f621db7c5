using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Packets;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Benchmarks;

/// <summary>
/// A whole scrub (<see cref="PacketScrub.RunAsync"/>) of a store of <see cref="Packets"/> signed
/// packets with 1 KB of content each, in batches of the default 500: reads, full verification,
/// and a durable write per batch. Times are per scrub; divide by <see cref="Packets"/> for a packet.
/// </summary>
[Config(typeof(InProcessConfig))]
public class ScrubBenchmarks
{
    public const int Packets = 20_000;

    private string _dir = "";
    private NodeStore _store = null!;
    private IdentityHost _identity = null!;
    private PacketScrub _scrub = null!;

    /// <summary>An observation of <paramref name="author"/> with 1 KB of content, the <paramref name="n"/>th of its series.</summary>
    public static PacketBody Body(NodeIdentity author, int n) => new()
    {
        Author = author.Id.ToString(),
        Topic = "market/SPX",
        Key = $"bar-{n}",
        Kind = PacketKind.Observation,
        MediaType = "application/json",
        Content = ByteString.CopyFrom(new byte[1024]),
        Hlc = (1_700_000_000_000UL + (ulong)n) << 16,
        Scope = ShareScope.Shareable,
    };

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sovereign-bench-scrub-").FullName;
        _store = NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance);
        _identity = IdentityHost.LoadOrCreate(_dir, NullLogger<IdentityHost>.Instance);
        var author = _identity.Identity;
        for (var start = 0; start < Packets; start += 1000)
        {
            var records = Enumerable.Range(start, 1000).Select(n =>
            {
                var body = Body(author, n);
                var (id, envelope) = PacketSigner.Sign(body, author);
                return new PacketRecord(id, envelope, body.Topic, body.Key, body.Author, PacketKinds.Name(body.Kind), (long)body.Hlc, PacketScopes.Of(body.Scope));
            }).ToList();
            _store.Writer.WriteAsync(c => records.ForEach(r => c.InsertPacket(r))).GetAwaiter().GetResult();
        }

        _scrub = new PacketScrub(_store, _identity, Options.Create(new StoreOptions()), TimeProvider.System, NullLogger<PacketScrub>.Instance);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scrub.Dispose();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _identity.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "scrub of 20,000 packets (1 KB), batches of 500")]
    public async Task<long> Scrub()
    {
        var report = await _scrub.RunAsync("bench").ConfigureAwait(false);
        return report.Checked == Packets && report.Corrupt == 0 ? report.Checked : throw new InvalidOperationException($"Scrubbed {report}.");
    }
}
