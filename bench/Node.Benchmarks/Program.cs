using BenchmarkDotNet.Running;
using Node.Benchmarks;

// dotnet run -c Release --project bench/Node.Benchmarks -- --filter '*'   (see docs/performance.md)
// dotnet run -c Release --project bench/Node.Benchmarks -- --load          (the local API under load)
if (args is ["--load", ..])
{
    return await ApiLoadBench.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
