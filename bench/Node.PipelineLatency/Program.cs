using Node.Benchmarks;

// dotnet publish bench/Node.PipelineLatency -c Release -r linux-x64 -o artifacts/bench-aot
// artifacts/bench-aot/pipeline-latency [--observations N] [--depth D] [--warmup N]   (percentiles per observation)
// artifacts/bench-aot/pipeline-latency --breakdown [--observations N]                 (each part alone)
return args is ["--breakdown", ..] ? PipelineBreakdown.Run(args) : PipelineLatency.Run(args);
