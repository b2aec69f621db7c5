using System.Diagnostics;
using Grpc.Core;

namespace Node.Daemon.Tests.Support;

/// <summary>What a load run measured: successful calls with their latencies, and errors by status code.</summary>
public sealed class ApiLoadResult
{
    private readonly long[] _sorted;

    private ApiLoadResult(int clients, TimeSpan elapsed, long[] sorted, IReadOnlyDictionary<StatusCode, long> errors, string? firstError)
    {
        Clients = clients;
        Elapsed = elapsed;
        _sorted = sorted;
        ErrorsByCode = errors;
        FirstError = firstError;
    }

    public int Clients { get; }

    /// <summary>From the start signal to the last client's end (its last call started before the duration ran out).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Calls that succeeded.</summary>
    public long Calls => _sorted.Length;

    public long Errors => ErrorsByCode.Values.Sum();

    public IReadOnlyDictionary<StatusCode, long> ErrorsByCode { get; }

    /// <summary>The first error any client saw, with its detail; null when there was none.</summary>
    public string? FirstError { get; }

    public double CallsPerSecond => Calls / Elapsed.TotalSeconds;

    /// <summary>The latency at quantile <paramref name="q"/> (0..1) of the successful calls (nearest rank).</summary>
    public TimeSpan Percentile(double q) =>
        _sorted.Length == 0 ? TimeSpan.Zero
            : Stopwatch.GetElapsedTime(0, _sorted[Math.Clamp((int)Math.Ceiling(q * _sorted.Length) - 1, 0, _sorted.Length - 1)]);

    public TimeSpan Max => _sorted.Length == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, _sorted[^1]);

    public override string ToString() =>
        $"{Clients} clients, {Elapsed.TotalSeconds:F1} s: {Calls} calls ({CallsPerSecond:F0}/s), " +
        $"p50 {Ms(Percentile(0.50))}, p99 {Ms(Percentile(0.99))}, p99.9 {Ms(Percentile(0.999))}, max {Ms(Max)}; " +
        $"{Errors} errors{(Errors == 0 ? "" : $" ({string.Join(", ", ErrorsByCode.Select(e => $"{e.Key} {e.Value}"))}; first: {FirstError})")}";

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:F2} ms";

    internal static ApiLoadResult Merge(int clients, TimeSpan elapsed, ApiLoad.ClientRecord[] records)
    {
        var all = new long[records.Sum(r => r.Count)];
        var at = 0;
        var errors = new Dictionary<StatusCode, long>();
        string? first = null;
        foreach (var record in records)
        {
            record.Latencies.CopyTo(all.AsSpan(at));
            at += record.Count;
            for (var code = 0; code < record.ErrorsByCode.Length; code++)
            {
                if (record.ErrorsByCode[code] > 0)
                {
                    errors[(StatusCode)code] = errors.GetValueOrDefault((StatusCode)code) + record.ErrorsByCode[code];
                }
            }

            first ??= record.FirstError;
        }

        Array.Sort(all);
        return new ApiLoadResult(clients, elapsed, all, errors, first);
    }
}
