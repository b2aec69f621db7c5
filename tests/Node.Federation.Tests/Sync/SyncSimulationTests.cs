namespace Node.Federation.Tests.Sync;

/// <summary>Many nodes, random tiers, churn, partitions and lost calls, in virtual time: every run converges, and a seed replays exactly.</summary>
public sealed class SyncSimulationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Twenty_nodes_with_random_tiers_churn_partitions_and_loss_converge_after_the_heal(int seed)
    {
        var run = await SyncSimulation.RunAsync(seed, 20, TestContext.Current.CancellationToken);

        Assert.True(run.Converged, $"seed {seed} did not converge: {string.Join("; ", run.Problems.Take(10))}");
        TestContext.Current.SendDiagnosticMessage($"seed {seed}: converged {run.StepsToConverge} s after the heal; {run.Trace.Count} trace lines");
    }

    [Fact]
    public async Task A_seed_replays_exactly()
    {
        var first = await SyncSimulation.RunAsync(7, 8, TestContext.Current.CancellationToken);
        var again = await SyncSimulation.RunAsync(7, 8, TestContext.Current.CancellationToken);

        Assert.True(first.Converged, string.Join("; ", first.Problems));
        Assert.Equal(first.Trace, again.Trace);
    }
}
