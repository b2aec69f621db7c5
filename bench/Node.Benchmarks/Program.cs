using BenchmarkDotNet.Running;
using Node.Benchmarks;

// dotnet run -c Release --project bench/Node.Benchmarks -- --filter '*'   (see docs/performance.md)
// dotnet run -c Release --project bench/Node.Benchmarks -- --load          (the local API under load)
// dotnet run -c Release --project bench/Node.Benchmarks -- --pipeline-latency [--observations N] [--depth D]
// dotnet run -c Release --project bench/Node.Benchmarks -- --pipeline-breakdown [--observations N]
// dotnet run -c Release --project bench/Node.Benchmarks -- --replay-throughput [--bars N] [--runs R] [--depth D]
// dotnet run -c Release --project bench/Node.Benchmarks -- --idle-memory [--starts N] [--settle S] [--baseline BIN] [--watch-burst N] [--puts P] [--after S]
// dotnet run -c Release --project bench/Node.Benchmarks -- --peer-link [--part all|setup|idle] [--dials N] [--warmup N] [--cpu-dials N] [--peers 10,50] [--minutes M] [--interval S] [--settle S]
// dotnet run -c Release --project bench/Node.Benchmarks -- --sync-throughput [--packets N]
// dotnet run -c Release --project bench/Node.Benchmarks -- --intake-profile [--packets N] [--batch B]
// dotnet run -c Release --project bench/Node.Benchmarks -- --reconcile [--items N] [--runs R] [--warmup W] [--case TEXT] [--extras] [--no-reference] [--buckets B] [--id-list N] [--dense N] [--fingerprint B] [--frame B] [--max-ids N]
// sudo dotnet run -c Release --project bench/Node.Benchmarks -- --discovery [--trials N] [--steady-minutes M] [--warmup-minutes W] [--ipv4-only]
switch (args)
{
    case ["--load", ..]:
        return await ApiLoadBench.RunAsync(args);
    case ["--pipeline-latency", ..]:
        return PipelineLatency.Run(args);
    case ["--pipeline-breakdown", ..]:
        return PipelineBreakdown.Run(args);
    case ["--replay-throughput", ..]:
        return ReplayThroughput.Run(args);
    case ["--idle-memory", ..]:
        return await IdleMemoryBench.RunAsync(args);
    case ["--peer-link", ..]:
        return await PeerLinkBench.RunAsync(args);
    case ["--sync-throughput", ..]:
        return await SyncThroughputBench.RunAsync(args);
    case ["--intake-profile", ..]:
        return await IntakeProfile.RunAsync(args);
    case ["--reconcile", ..]:
        return ReconcileBench.Run(args);
    case ["--discovery", ..]:
        return await DiscoveryBench.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
