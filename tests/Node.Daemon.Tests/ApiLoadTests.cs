using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests;

/// <summary>
/// The local API under 200 concurrent clients, against the real daemon process: the native-AOT
/// binary when <c>SOVEREIGN_NODE_AOT_DIR</c> names one, else the JIT build. No assertion here is
/// on time; the figures (calls/s, p99) are the bench's (docs/performance.md, "Local API under load").
/// </summary>
[Trait("Category", "Load")]
public sealed class ApiLoadTests(ITestOutputHelper output)
{
    private const int Clients = 200;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Descriptors other than sockets the node may add in the second round: the store's read
    /// connections are pooled without a maximum (two descriptors each, the database and its WAL),
    /// so the pool follows the peak of concurrent reads and may grow by a few under the same load.
    /// </summary>
    private const int PoolSlack = 8;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hundred_clients_for_ten_seconds_see_no_errors_and_leave_no_connections_or_memory_growth_behind()
    {
        var kind = DaemonProcess.AotBinary() is null ? "jit" : "aot";
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var socket = dir.Combine(".node", "api.sock");
        using var daemon = DaemonProcess.Start(kind, dir.Path, [], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");
        // Before any client has connected: the API listener and the sd_notify socket.
        var fresh = await Snapshot.TakeAsync(daemon.Id, int.MaxValue);
        await ApiLoad.SeedAsync(socket, 20, Token);
        // Once the node has closed the seeding client's connection (it notices a moment after the
        // client disposes its channel; sampling at once raced that and counted it as idle).
        var idle = await Snapshot.TakeAsync(daemon.Id, fresh.Sockets);

        // A warm-up round brings the node to its working size under this load (GC heap, thread
        // pool, pooled buffers and store connections, JIT tiers). Freed memory is not given back
        // to the OS eagerly, so the honest comparison is of the steady state after one round
        // against the steady state after a second, longer one, not of before against after.
        var warmUp = await ApiLoad.RunAsync(socket, Clients, WarmUp, Token);
        var afterWarmUp = await Snapshot.TakeAsync(daemon.Id, idle.Sockets);
        var load = await ApiLoad.RunAsync(socket, Clients, Load, Token);
        var afterLoad = await Snapshot.TakeAsync(daemon.Id, idle.Sockets);
        await Task.Delay(TimeSpan.FromSeconds(2), Token);
        var idleAfter = await Snapshot.TakeAsync(daemon.Id, idle.Sockets);

        output.WriteLine($"{kind} warm-up: {warmUp}");
        output.WriteLine($"{kind} load:    {load}");
        output.WriteLine($"idle:          {idle}");
        output.WriteLine($"after warm-up: {afterWarmUp}");
        output.WriteLine($"after load:    {afterLoad}");
        output.WriteLine($"idle after:    {idleAfter}");

        Assert.True(warmUp.Errors == 0, $"warm-up: {warmUp}");
        Assert.True(load.Errors == 0, $"load: {load}");
        Assert.True(load.Calls > Clients, $"Every client should have made calls: {load}");

        // Generous: a leak of even a hundred bytes per call (tens of thousands of calls in the
        // longer round) shows, while GC heap sizing noise between rounds does not.
        var bound = (long)(afterWarmUp.Rss * 1.25) + (16L << 20);
        Assert.True(afterLoad.Rss <= bound,
            $"RSS grew from {ProcessProbe.MiB(afterWarmUp.Rss)} after warm-up to {ProcessProbe.MiB(afterLoad.Rss)} after the second round (bound {ProcessProbe.MiB(bound)}).");
        Assert.True(idleAfter.Rss <= bound,
            $"RSS grew from {ProcessProbe.MiB(afterWarmUp.Rss)} after warm-up to {ProcessProbe.MiB(idleAfter.Rss)} idle after load (bound {ProcessProbe.MiB(bound)}).");

        // Every client's connection is closed by the node once the client has gone.
        Assert.True(afterWarmUp.Sockets == idle.Sockets, $"Sockets left after the warm-up clients: {afterWarmUp}; idle before: {idle}.");
        Assert.True(afterLoad.Sockets == idle.Sockets, $"Sockets left after the load clients: {afterLoad}; idle before: {idle}.");
        Assert.True(afterLoad.Descriptors <= afterWarmUp.Descriptors + PoolSlack,
            $"Descriptors grew from the warm-up to the second round: {afterWarmUp}, then {afterLoad}.");

        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    private readonly record struct Snapshot(long Rss, int Descriptors, int Sockets, string Kinds)
    {
        /// <summary>Once the node holds at most <paramref name="sockets"/> sockets (or 10 s have passed).</summary>
        public static async Task<Snapshot> TakeAsync(int pid, int sockets)
        {
            var open = await ProcessProbe.WaitForSocketsAsync(pid, sockets, TimeSpan.FromSeconds(10), Token);
            return new(ProcessProbe.ResidentBytes(pid), ProcessProbe.OpenDescriptors(pid), open, ProcessProbe.DescribeDescriptors(pid));
        }

        public override string ToString() => $"RSS {ProcessProbe.MiB(Rss)}, {Descriptors} descriptors ({Sockets} sockets; {Kinds})";
    }
}
