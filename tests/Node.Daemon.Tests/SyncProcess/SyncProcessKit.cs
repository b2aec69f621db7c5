namespace Node.Daemon.Tests.SyncProcess;

/// <summary>What the sync tests with real daemons share: fast links and retries, and waiting for a condition with a deadline.</summary>
internal static class SyncProcessKit
{
    /// <summary>Heartbeats every second (suspect at 2.5 s, down at 5 s), back-off at most 1 s, a refused or failed round tried again within a second.</summary>
    public static readonly string[] FastSync =
    [
        "--set", "Federation:Link:HeartbeatInterval=00:00:01", "--set", "Federation:Link:SuspectAfter=00:00:02.500",
        "--set", "Federation:Link:DownAfter=00:00:05", "--set", "Federation:Link:BackoffMax=00:00:01",
        "--set", "Federation:Link:RefusedRetry=00:00:01", "--set", "Federation:Sync:RetryInterval=00:00:01",
    ];

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="within"/>, naming <paramref name="what"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        var since = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(since) > within)
            {
                throw new TimeoutException($"Not within {within}: {what}");
            }

            await Task.Delay(150, TestContext.Current.CancellationToken);
        }
    }
}
