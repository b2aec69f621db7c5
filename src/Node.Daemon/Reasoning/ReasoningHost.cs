using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Daemon.Health;
using Node.Federation.Identity;
using Node.Reasoning;
using Node.Reasoning.Decisions;
using Node.Reasoning.Findings;
using Node.Reasoning.Memory;
using Node.Reasoning.Observations;
using Node.Reasoning.Pipeline;
using Node.Storage;

namespace Node.Daemon.Reasoning;

/// <summary>
/// Runs the reasoning pipeline inside the node: one loop owns the <see cref="ReasoningEngine"/> (it is not
/// thread-safe) and takes work from a bounded queue — bars from the API, the node's own health samples, status
/// requests. Decisions go through the <see cref="DecisionMatrix"/> and are recorded by the <see cref="DecisionRecorder"/>.
/// </summary>
internal sealed partial class ReasoningHost : BackgroundService
{
    /// <summary>Work items queued at most; a caller past it waits (backpressure on the API stream).</summary>
    public const int QueueCapacity = 1024;

    private readonly Channel<Work> _queue = Channel.CreateBounded<Work>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Time between saves of the learnt state (also saved on stop).</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromMinutes(5);

    /// <summary>Time between scans of newly stored packets for Joey.</summary>
    public static readonly TimeSpan PacketScanInterval = TimeSpan.FromSeconds(30);

    private const int PacketScanBatch = 2000;
    private readonly ReasoningOptions _options;
    private readonly NodeStore _store;
    private readonly IdentityHost _identity;
    private ReasoningEngine _engine;
    private InMemoryReasoningMemory _memory;
    private long _packetSeq;
    private readonly DecisionRecorder _recorder;
    private readonly ConclusionLog _conclusionLog;
    private readonly HealthSampler _sampler;
    private readonly CriticalLoops _loops;
    private readonly TimeProvider _time;
    private readonly ILogger<ReasoningHost> _logger;
    private readonly TimeSpan _healthInterval;
    private readonly FindingBuffer _findings = new();
    private readonly LatencyHistogram _latency = new();
    private readonly DateTimeOffset?[] _lastRun = new DateTimeOffset?[AllReasoners.Count];
    private readonly long[] _runsSeen = new long[AllReasoners.Count];
    private long _conclusions;
    private long _decisions;
    private long _lastReflectionCycle = -1;
    private int _reflectionsSeen;

    public ReasoningHost(IOptions<ReasoningOptions> options, NodeStore store, IdentityHost identity, DecisionRecorder recorder,
        ConclusionLog conclusionLog, HealthSampler sampler, CriticalLoops loops, TimeProvider time, ILogger<ReasoningHost> logger)
    {
        _options = options.Value;
        _store = store;
        _identity = identity;
        _memory = new InMemoryReasoningMemory();
        _engine = new ReasoningEngine(_options, _memory);
        Matrix = new DecisionMatrix(DecisionPolicy.Default, time);
        _recorder = recorder;
        _conclusionLog = conclusionLog;
        _sampler = sampler;
        _loops = loops;
        _time = time;
        _logger = logger;
        _healthInterval = options.Value.HealthInterval;
    }

    /// <summary>The decision matrix (thread-safe): thresholds, hourly caps, the guardian stop.</summary>
    public DecisionMatrix Matrix { get; }

    // Read off the loop, for metrics: a 64-bit read is never torn on the platforms the node runs on
    // (x64, arm64); the figures may lag the item under way.

    /// <summary>Observations the pipeline has run since start (the engine's cycles).</summary>
    public long Cycles => Volatile.Read(ref _engine).Cycles;

    /// <summary>Conclusions with a claim since start.</summary>
    public long Conclusions => Interlocked.Read(ref _conclusions);

    /// <summary>Decisions recorded since start (automatically approved or waiting for a guardian).</summary>
    public long Decisions => Interlocked.Read(ref _decisions);

    /// <summary>Reasons over one bar of <paramref name="subject"/>; completes when the pipeline has concluded.</summary>
    public async ValueTask<BarResult> ObserveBarAsync(string subject, Bar bar, CancellationToken cancellationToken)
    {
        var work = new BarWork(subject, bar);
        await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        return await work.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pipeline's state, read on its own loop.</summary>
    public async Task<ReasoningStatusSnapshot> GetStatusAsync(CancellationToken cancellationToken)
    {
        var work = new StatusWork();
        await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        return await work.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var loop = _loops.Register("reasoning");
        await RestoreAsync(stoppingToken).ConfigureAwait(false);
        var sampling = SampleHealthAsync(stoppingToken);
        var chores = ChoresAsync(stoppingToken);
        try
        {
            var reader = _queue.Reader;
            while (true)
            {
                loop.Idle();
                if (!await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                {
                    break;
                }

                loop.Beat();
                while (reader.TryRead(out var work))
                {
                    try
                    {
                        await RunAsync(work, stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogWorkFailed(_logger, e);
                        work.Fail(e);
                    }

                    loop.Beat();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await sampling.ConfigureAwait(false);
        await chores.ConfigureAwait(false);
        await SaveAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task SampleHealthAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_healthInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var sample = await _sampler.SampleAsync(stoppingToken).ConfigureAwait(false);
                await _queue.Writer.WriteAsync(new HealthWork(sample), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async ValueTask RunAsync(Work work, CancellationToken cancellationToken)
    {
        switch (work)
        {
            case BarWork bar:
                bar.Result.TrySetResult(await ObserveAsync(bar.Subject, bar.Bar, cancellationToken).ConfigureAwait(false));
                break;
            case HealthWork health:
                await ObserveHealthAsync(health.Sample, cancellationToken).ConfigureAwait(false);
                break;
            case StatusWork status:
                status.Result.TrySetResult(Snapshot());
                break;
            case ScanWork:
                _packetSeq = ReasoningState.ScanPackets(_store, _memory, _identity.IsSelf, _packetSeq, PacketScanBatch);
                break;
            case SaveWork:
                await SaveAsync(cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask<BarResult> ObserveAsync(string subject, Bar bar, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var problem = _engine.ObserveBar(subject, bar, _findings, out var conclusion);
        _latency.Record(Stopwatch.GetElapsedTime(started).TotalNanoseconds);
        NoteRuns();
        _engine.TryGetFeatures(subject, out var features);
        var findings = _findings.Items.ToArray();
        if (problem != ObservationProblem.None)
        {
            LogRejected(_logger, subject, bar.Time, problem);
            return new BarResult(problem, conclusion, findings, features, null, null);
        }

        var (id, verdict) = await DecideAsync(subject, conclusion, findings, cancellationToken).ConfigureAwait(false);
        return new BarResult(problem, conclusion, findings, features, id, verdict);
    }

    private async ValueTask ObserveHealthAsync(HealthSample sample, CancellationToken cancellationToken)
    {
        var problem = _engine.ObserveHealth(sample, _findings, out var conclusion);
        NoteRuns();
        if (problem != ObservationProblem.None)
        {
            LogHealthRejected(_logger, problem);
            return;
        }

        foreach (var finding in _findings.Items)
        {
            if (!_logger.IsEnabled(LogLevel.Warning))
            {
                break;
            }

            LogHealthFinding(_logger, ReasoningNames.Of(finding.Kind), ReasoningNames.Of(finding.Resource), finding.Level, finding.Evidence,
                finding.Confidence);
        }

        await DecideAsync(ReasoningEngine.NodeSubject, conclusion, _findings.Items.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private void NoteRuns()
    {
        var now = _time.GetUtcNow();
        // Per observation: a plain loop (Enum.GetValues would allocate an array each time).
        for (var i = 0; i < _runsSeen.Length; i++)
        {
            var runs = _engine.Runs((Reasoner)i);
            if (runs != _runsSeen[i])
            {
                _runsSeen[i] = runs;
                _lastRun[i] = now;
            }
        }

        if (_engine.Aletheia.Reflections != _reflectionsSeen)
        {
            _reflectionsSeen = _engine.Aletheia.Reflections;
            _lastReflectionCycle = _engine.Cycles;
        }
    }

    private ReasoningStatusSnapshot Snapshot()
    {
        var toMicroseconds = 1e6 / Stopwatch.Frequency;
        var reasoners = Enum.GetValues<Reasoner>().Select(r => new ReasonerStatus(r, _engine.Runs(r), _engine.FindingsOf(r),
            _engine.MeanConfidence(r), _engine.MeanTicks(r) * toMicroseconds, _lastRun[(int)r])).ToArray();
        var metrics = _engine.Aletheia.Metrics;
        return new ReasoningStatusSnapshot(
            _engine.Depth, _engine.Cycles, _engine.Rejected, _engine.Subjects, _conclusions, _engine.Aletheia.Conflicts, _decisions, reasoners,
            new LatencySummary(_latency.Count, _latency.MeanNanoseconds / 1000, _latency.QuantileNanoseconds(0.5) / 1000, _latency.QuantileNanoseconds(0.99) / 1000, _latency.MaxNanoseconds / 1000),
            new CalibrationSummary(metrics.Count, metrics.Positives, metrics.BrierScore, metrics.BaseRateBrierScore, metrics.ExpectedCalibrationError,
                ReasoningNames.Of(_engine.Aletheia.Calibrator.Method), _engine.Aletheia.Reflections, _lastReflectionCycle < 0 ? null : _lastReflectionCycle),
            Matrix.IsStopped, Matrix.StoppedBy, Matrix.StoppedAt, [], null);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reasoning work failed; the loop goes on.")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bar of {Subject} at {Time} rejected: {Problem}.")]
    private static partial void LogRejected(ILogger logger, string subject, long time, ObservationProblem problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health sample rejected: {Problem}.")]
    private static partial void LogHealthRejected(ILogger logger, ObservationProblem problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kenny: {Kind} on {Resource} (level {Level:F3}, evidence {Evidence:F1}, confidence {Confidence:F2}).")]
    private static partial void LogHealthFinding(ILogger logger, string kind, string resource, double level, double evidence, double confidence);

    private sealed class ScanWork : Work
    {
        public override void Fail(Exception exception)
        {
        }
    }

    private sealed class SaveWork : Work
    {
        public override void Fail(Exception exception)
        {
        }
    }

    private abstract class Work
    {
        public abstract void Fail(Exception exception);
    }

    private sealed class BarWork(string subject, Bar bar) : Work
    {
        public string Subject { get; } = subject;

        public Bar Bar { get; } = bar;

        public TaskCompletionSource<BarResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception exception) => Result.TrySetException(exception);
    }

    private sealed class StatusWork : Work
    {
        public TaskCompletionSource<ReasoningStatusSnapshot> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception exception) => Result.TrySetException(exception);
    }

    private sealed class HealthWork(HealthSample sample) : Work
    {
        public HealthSample Sample { get; } = sample;

        public override void Fail(Exception exception)
        {
        }
    }
}
