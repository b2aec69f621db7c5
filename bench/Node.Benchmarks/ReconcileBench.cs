using System.Diagnostics;
using System.Globalization;
using Node.Federation.Sync.Reconciliation;

namespace Node.Benchmarks;

/// <summary>
/// Range-based set reconciliation of two views of <c>--items</c> N keys each (default 1,000,000), in process: the
/// issue's five cases (docs/performance.md, "Reconciliation"), and with <c>--extras</c> two where one side is far
/// behind. For each: round trips, bytes each way (whole messages), time of the whole exchange (median of
/// <c>--runs</c>, default 3, after <c>--warmup</c> untimed runs, default 2; both sides on this thread, sets built
/// beforehand; and the process's CPU time, median too), bytes allocated, and whether the
/// result is exactly the two set differences; then the same for Negentropy v1's reference algorithm on the same sets
/// (<c>--no-reference</c> leaves it out), and the memory of two built sets. <c>--case TEXT</c> runs the cases whose
/// name contains it. Parameters can be varied for tuning: <c>--buckets --id-list --dense --fingerprint --frame --max-ids</c>.
/// </summary>
internal static partial class ReconcileBench
{
    public static int Run(string[] args)
    {
        var items = Option(args, "--items", 1_000_000);
        var runs = Option(args, "--runs", 3);
        var warmUp = Option(args, "--warmup", 2);
        var only = Array.IndexOf(args, "--case") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var options = new ReconcileOptions
        {
            Buckets = Option(args, "--buckets", ReconcileOptions.Default.Buckets),
            IdListThreshold = Option(args, "--id-list", ReconcileOptions.Default.IdListThreshold),
            DenseListThreshold = Option(args, "--dense", ReconcileOptions.Default.DenseListThreshold),
            FingerprintBytes = Option(args, "--fingerprint", ReconcileOptions.Default.FingerprintBytes),
            FrameLimit = Option(args, "--frame", ReconcileOptions.Default.FrameLimit),
            MaxIdsPerList = Option(args, "--max-ids", ReconcileOptions.Default.MaxIdsPerList),
        };
        if (options.Validate() is { } problem)
        {
            Console.Error.WriteLine(problem);
            return 2;
        }

        Console.WriteLine($"{items:N0} keys a side, {Environment.ProcessorCount} cores, .NET {Environment.Version}; " +
            $"buckets {options.Buckets}, id list ≤ {options.IdListThreshold} (dense ≤ {options.DenseListThreshold}), " +
            $"fingerprints {options.FingerprintBytes} B, frame {options.FrameLimit:N0} B; time: median of {runs} after {warmUp} untimed");
        var ours = new List<string>();
        var reference = new List<string>();
        var failed = false;
        var cases = Array.IndexOf(args, "--extras") >= 0 ? [.. Cases(items), .. Extras(items)] : Cases(items);
        foreach (var @case in cases.Where(c => only is null || c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            failed |= !RunCase(@case, options, warmUp, runs, ours, reference, Array.IndexOf(args, "--no-reference") < 0);
        }

        Table("This protocol", ours);
        if (reference.Count > 0)
        {
            Table($"Negentropy v1, the C++ reference's algorithm ported (frame limit {options.FrameLimit:N0} B)", reference);
        }

        Memory(items);
        return failed ? 1 : 0;
    }

    private static void Table(string title, List<string> rows)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine();
        Console.WriteLine("| case | round trips | initiator → responder | responder → initiator | total | time | CPU | allocated | result | goal | |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
    }

    // Each exchange is run `warmUp` times untimed first: the JIT's first tiers would otherwise be timed (the node is
    // native AOT, compiled ahead of time).
    private static bool RunCase(Case @case, ReconcileOptions options, int warmUp, int runs, List<string> ours, List<string> reference, bool withReference)
    {
        Collect();
        var initiatorOnly = new List<SyncKey>();
        var responderOnly = new List<SyncKey>();
        var initiatorSet = Build(@case, Side.Initiator, initiatorOnly);
        var responderSet = Build(@case, Side.Responder, responderOnly);
        var outcomes = Enumerable.Range(0, warmUp + runs).Select(_ => Reconcile(initiatorSet, responderSet, options)).Skip(warmUp).ToList();
        var exact = outcomes[^1].Error is null && outcomes[^1].Have.Order().SequenceEqual(initiatorOnly.Order()) &&
            outcomes[^1].Need.Order().SequenceEqual(responderOnly.Order());
        ours.Add(Row(@case, outcomes, exact));
        if (withReference)
        {
            var negentropy = Enumerable.Range(0, warmUp + runs).Select(_ => ReconcileNegentropy(initiatorSet, responderSet, options.FrameLimit)).Skip(warmUp).ToList();
            var haveIds = initiatorOnly.Select(k => Convert.ToHexString(k.IdToArray())).Order();
            var needIds = responderOnly.Select(k => Convert.ToHexString(k.IdToArray())).Order();
            var same = negentropy[^1].HaveIds.Distinct().Order().SequenceEqual(haveIds) && negentropy[^1].NeedIds.Distinct().Order().SequenceEqual(needIds);
            reference.Add(Row(@case, negentropy, same));
        }

        return exact;
    }

    private static string Row(Case @case, List<Outcome> outcomes, bool exact)
    {
        var outcome = outcomes[^1];
        var met = exact && outcome.RoundTrips <= @case.GoalRoundTrips && outcome.Total <= @case.GoalBytes;
        var median = outcomes.Select(o => o.Time).Order().ElementAt(outcomes.Count / 2);
        var cpu = outcomes.Select(o => o.Cpu).Order().ElementAt(outcomes.Count / 2);
        var result = outcome.Error ?? (exact ? $"exact ({outcome.HaveCount:N0} have, {outcome.NeedCount:N0} need{(outcome.FullStrength ? ", full-strength pass" : "")})" : "WRONG");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {@case.Name} | {outcome.RoundTrips} | {Size(outcome.Sent)} | {Size(outcome.Received)} | **{Size(outcome.Total)}** | {Milliseconds(median)} | {Milliseconds(cpu)} | {Size(outcome.Allocated)} | {result} | {@case.Goal} | {(met ? "met" : "not met")} |");
    }

    private sealed record Outcome(int RoundTrips, long Sent, long Received, TimeSpan Time, TimeSpan Cpu, long Allocated, bool FullStrength, string? Error)
    {
        public List<SyncKey> Have { get; init; } = [];

        public List<SyncKey> Need { get; init; } = [];

        public List<string> HaveIds { get; init; } = [];

        public List<string> NeedIds { get; init; } = [];

        public int HaveCount => Math.Max(Have.Count, HaveIds.Distinct().Count());

        public int NeedCount => Math.Max(Need.Count, NeedIds.Distinct().Count());

        public long Total => Sent + Received;
    }

    private static Outcome Reconcile(SyncKeySet initiatorSet, SyncKeySet responderSet, ReconcileOptions options)
    {
        var have = new List<SyncKey>();
        var need = new List<SyncKey>();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = ProcessCpu();
        var clock = Stopwatch.StartNew();
        var initiator = new ReconcileInitiator(initiatorSet, options);
        var query = initiator.Initiate();
        string? error = null;
        while (true)
        {
            var reply = ReconcileResponder.Respond(responderSet, query, options);
            if (!reply.Succeeded)
            {
                error = $"responder: {reply.Error} {reply.Detail}";
                break;
            }

            var next = initiator.Step(reply.Message!, have, need);
            if (!next.Succeeded)
            {
                error = $"initiator: {next.Error} {next.Detail}";
                break;
            }

            if (next.IsComplete)
            {
                break;
            }

            query = next.Message!;
        }

        var time = clock.Elapsed;
        return new Outcome(initiator.Rounds, initiator.BytesSent, initiator.BytesReceived, time, ProcessCpu() - cpu, GC.GetAllocatedBytesForCurrentThread() - allocated,
            initiator.UsedFullStrength, error) { Have = have, Need = need };
    }

    private static Outcome ReconcileNegentropy(SyncKeySet initiatorSet, SyncKeySet responderSet, int frameLimit)
    {
        List<byte[]> have = [], need = [];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = ProcessCpu();
        var clock = Stopwatch.StartNew();
        var client = new Negentropy(initiatorSet, frameLimit, isInitiator: true);
        var server = new Negentropy(responderSet, frameLimit, isInitiator: false);
        var query = client.Initiate();
        long sent = query.Length, received = 0;
        var rounds = 1;
        while (true)
        {
            var reply = server.Reconcile(query, [], [])!;
            received += reply.Length;
            if (client.Reconcile(reply, have, need) is not { } next)
            {
                break;
            }

            query = next;
            sent += query.Length;
            rounds++;
        }

        var time = clock.Elapsed;
        return new Outcome(rounds, sent, received, time, ProcessCpu() - cpu, GC.GetAllocatedBytesForCurrentThread() - allocated, false, null)
        {
            HaveIds = [.. have.Select(Convert.ToHexString)],
            NeedIds = [.. need.Select(Convert.ToHexString)],
        };
    }

    // The process's CPU time (this thread, and the GC's): wall time on a shared machine waits for other processes too.
    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    // Between cases: the previous case's sets and garbage go, so the peak working set reflects one case.
    private static void Collect()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    // Two built sets of `items` keys each, as the bench holds them while reconciling.
    private static void Memory(int items)
    {
        Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var @case = new Case("memory", items, _ => null, "", 0, 0);
        var clock = Stopwatch.StartNew();
        var first = Build(@case, Side.Initiator, []);
        var built = clock.Elapsed;
        var second = Build(@case, Side.Responder, []);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory: two sets of {items:N0} keys hold {(after - before) / 1048576.0:F1} MiB of managed heap ({(after - before) / 2.0 / items:F1} B a key); " +
            $"building one (generate, sort, prefix sums) takes {built.TotalMilliseconds:F0} ms; process peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB"));
        GC.KeepAlive(first);
        GC.KeepAlive(second);
    }

    private static string Milliseconds(TimeSpan time) =>
        time.TotalMilliseconds < 10
            ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:F2} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:F0} ms");

    private static string Size(long bytes) => bytes switch
    {
        < 10_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B"),
        < 10_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1000.0:N1} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_000_000.0:N2} MB"),
    };

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
