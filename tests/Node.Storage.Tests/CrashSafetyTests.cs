using System.Globalization;
using Node.Storage.Events;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

public sealed class CrashSafetyTests : IDisposable
{
    private const int Kills = 50;
    private const int MostAcknowledgementsBeforeAKill = 200;
    private const string SeedVariable = "SOVEREIGN_CRASH_SEED";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_acknowledged_write_survives_SIGKILL_at_random_moments()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        TestContext.Current.TestOutputHelper?.WriteLine($"Kill points drawn with seed {seed}; {SeedVariable}={seed} repeats them.");
        var random = new Random(seed);
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);

        for (var kill = 1; kill <= Kills; kill++)
        {
            var where = $"seed {seed}, kill {kill} of {Kills}";
            var killAfter = random.Next(1, MostAcknowledgementsBeforeAKill + 1);

            // Bounds a hung child, so the test fails instead of waiting forever; never a timing assertion.
            using var hung = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            hung.CancelAfter(TimeSpan.FromSeconds(60));
            using (var writer = CrashWriterProcess.Start(_directory.Path))
            {
                for (var read = 0; read < killAfter; read++)
                {
                    var id = await writer.ReadAckAsync(hung.Token);
                    if (id is null)
                    {
                        Assert.Fail($"{where}: the crash writer ended by itself after {read} acknowledgements. stderr:\n{writer.StandardError}");
                    }

                    acknowledged.Add(id);
                }

                // Acknowledgements printed before the kill landed count too.
                acknowledged.UnionWith(await writer.KillAsync(hung.Token));
            }

            AssertSurvived(where, acknowledged);
        }
    }

    private void AssertSurvived(string where, HashSet<string> acknowledged)
    {
        NodeStore store;
        try
        {
            store = TestStore.Open(_directory.Path); // quick_check and tail verification
        }
        catch (StoreOpenException ex)
        {
            Assert.Fail($"{where}: the store does not open after the kill ({ex.Problem}): {ex.Message}");
            throw;
        }

        try
        {
            using var reader = store.OpenReader();
            var stored = TestPackets.StoredIds(reader);
            var lost = acknowledged.Where(id => !stored.Contains(id)).ToList();
            Assert.True(lost.Count == 0, $"{where}: {lost.Count} of {acknowledged.Count} acknowledged packets are missing, first {lost.FirstOrDefault()}");

            var accepted = TestStore.Scalar<long>(reader, "SELECT count(*) FROM events WHERE kind = $kind", ("$kind", EventKinds.PacketAccepted));
            Assert.True(accepted == stored.Count, $"{where}: {stored.Count} packets but {accepted} packet.accepted entries");

            var chain = store.VerifyEventLog();
            Assert.True(chain.IsIntact, $"{where}: {chain}");
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
