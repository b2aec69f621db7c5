using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Google.Protobuf;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Packets;

namespace Node.Benchmarks;

/// <summary>
/// Ed25519 sign and verify on one core, and a full packet check (decode, limits, SHA-256 id,
/// DSSE encoding, signature) next to libsodium's bare <c>crypto_sign_verify_detached</c> over the
/// same bytes, in the same run. Goal: the full check at ≥ 80% of the bare verify's throughput.
/// </summary>
[Config(typeof(Config))]
public partial class PacketCryptoBenchmarks
{
    private NodeIdentity _author = null!;
    private KeyDirectory _keys = null!;
    private byte[] _envelope = [];
    private byte[] _pae = [];
    private byte[] _signature = [];
    private byte[] _publicKey = [];

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
        _publicKey = _author.PublicKey;
        var body = new PacketBody
        {
            Author = _author.Id.ToString(),
            Topic = "market/SPX",
            Key = "2020-04-17",
            Kind = PacketKind.Observation,
            MediaType = "application/json",
            Content = ByteString.CopyFrom(new byte[1024]),
            Hlc = 1_700_000_000_000UL << 16,
            Scope = ShareScope.Shareable,
        };
        (_, _envelope) = PacketSigner.Sign(body, _author);
        var parsed = Envelope.Parser.ParseFrom(_envelope);
        _pae = Dsse.Pae(parsed.PayloadType, parsed.Payload.Span);
        _signature = parsed.Signatures[0].Sig.ToByteArray();
        if (VerifyDetached(_signature, _pae, (ulong)_pae.Length, _publicKey) != 0 || !PacketVerifier.Verify(_envelope, _keys).IsValid)
        {
            throw new InvalidOperationException("The benchmark's packet does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _author.Dispose();

    [Benchmark(Description = "Ed25519 sign (1 KB + DSSE header)")]
    public byte[] Sign() => _author.Sign(_pae);

    [Benchmark(Baseline = true, Description = "libsodium crypto_sign_verify_detached (bare)")]
    public int Bare_verify() => VerifyDetached(_signature, _pae, (ulong)_pae.Length, _publicKey);

    [Benchmark(Description = "NodeIdentity.Verify (NSec, key imported per call)")]
    public bool Identity_verify() => NodeIdentity.Verify(_publicKey, _pae, _signature);

    [Benchmark(Description = "PacketVerifier.Verify (full packet check)")]
    public bool Packet_verify() => PacketVerifier.Verify(_envelope, _keys).IsValid;

    [LibraryImport("libsodium", EntryPoint = "crypto_sign_verify_detached")]
    private static partial int VerifyDetached(byte[] signature, byte[] message, ulong length, byte[] publicKey);
}
