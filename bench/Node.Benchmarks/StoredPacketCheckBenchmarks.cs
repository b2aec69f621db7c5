using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Google.Protobuf;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Packets;
using Node.Storage.Packets;

namespace Node.Benchmarks;

/// <summary>
/// What checking a stored packet (1 KB of content) costs on one core: the read path's check
/// (<see cref="StoredPackets.CheckIntegrity"/>: decode, limits, SHA-256 id, the columns; no
/// signature) next to the body decode a read did before it, and the scrub's full check
/// (<see cref="StoredPackets.Verify"/>, signature included) next to the intake's
/// <see cref="PacketVerifier.Verify"/>, in the same run.
/// </summary>
[Config(typeof(Config))]
public class StoredPacketCheckBenchmarks
{
    private NodeIdentity _author = null!;
    private KeyDirectory _keys = null!;
    private StoredPacket _stored = null!;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
            AddColumn(StatisticColumn.P95, StatisticColumn.OperationsPerSecond);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _author = NodeIdentity.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        _keys = new KeyDirectory();
        _keys.Add(_author.PublicKey);
        var body = ScrubBenchmarks.Body(_author, 0);
        var (id, envelope) = PacketSigner.Sign(body, _author);
        _stored = new StoredPacket(1, 0, new PacketRecord(id, envelope, body.Topic, body.Key, body.Author, PacketKinds.Name(body.Kind), (long)body.Hlc, PacketScopes.Of(body.Scope)));
        if (StoredPackets.Verify(_stored, _keys).State != StoredPacketState.Sound)
        {
            throw new InvalidOperationException("The benchmark's packet does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _author.Dispose();

    [Benchmark(Baseline = true, Description = "body decode only (what a read did before)")]
    public PacketBody Decode_only() => PacketBody.Parser.ParseFrom(Envelope.Parser.ParseFrom(_stored.Packet.Envelope).Payload);

    [Benchmark(Description = "StoredPackets.CheckIntegrity (read path)")]
    public StoredPacketCheck Check_integrity() => StoredPackets.CheckIntegrity(_stored);

    [Benchmark(Description = "PacketVerifier.Verify (intake)")]
    public bool Intake_verify() => PacketVerifier.Verify(_stored.Packet.Envelope, _keys, _stored.Packet.Id).IsValid;

    [Benchmark(Description = "StoredPackets.Verify (scrub, per packet)")]
    public StoredPacketCheck Scrub_verify() => StoredPackets.Verify(_stored, _keys);
}
