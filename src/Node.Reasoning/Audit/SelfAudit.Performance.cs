namespace Node.Reasoning.Audit;

public static partial class SelfAudit
{
    private static readonly Rule LatencyRule =
        new("performance.latency", AuditCategory.Performance, "Reasoning p99 latency is within its goal per depth");
    private static readonly Rule CalibrationRule =
        new("performance.calibration", AuditCategory.Performance, "Calibration error is within bound");
    private static readonly Rule WatchdogRule =
        new("performance.watchdog", AuditCategory.Performance, "Every critical loop reported progress in time");

    private static AuditCheckResult Latency(AuditSnapshot s, AuditBounds b)
    {
        (string Depth, double? P99, double Goal)[] depths =
        [
            ("shallow", s.ShallowP99Microseconds, b.ShallowP99GoalMicroseconds),
            ("moderate", s.ModerateP99Microseconds, b.ModerateP99GoalMicroseconds),
            ("deep", s.DeepP99Microseconds, b.DeepP99GoalMicroseconds),
        ];
        var measured = depths.Where(d => d.P99 is not null).ToArray();
        if (measured.Length == 0)
        {
            return LatencyRule.NotApplicable("No reasoning cycle ran in the audited period.");
        }
        var bad = measured.Where(d => !(d.P99 <= d.Goal))
            .Select(d => Invariant($"{d.Depth} p99 {d.P99:0.###} µs > {d.Goal:0.###} µs")).ToArray();
        return bad.Length == 0
            ? LatencyRule.Pass(string.Join(", ", measured.Select(d => Invariant($"{d.Depth} p99 {d.P99:0.###} µs"))) + ", within goal.")
            : LatencyRule.Fail($"Over goal: {Name(bad)}.",
                "Check the node's load (`nodectl status`) and run the reasoning benchmarks to find the slow stage; lower the default depth meanwhile.");
    }

    private static AuditCheckResult Calibration(AuditSnapshot s, AuditBounds b)
    {
        if (s.CalibrationOutcomes < b.MinCalibrationOutcomes)
        {
            return CalibrationRule.NotApplicable(
                Invariant($"Not yet measurable: {s.CalibrationOutcomes} outcomes, {b.MinCalibrationOutcomes} needed."));
        }
        var finding = Invariant($"ECE {s.CalibrationError:0.####} over {s.CalibrationOutcomes} outcomes (bound {b.MaxCalibrationError:0.###}).");
        return s.CalibrationError is >= 0 && s.CalibrationError <= b.MaxCalibrationError
            ? CalibrationRule.Pass(finding)
            : CalibrationRule.Fail(finding,
                "Confidences no longer match outcomes: let Aletheia refit the recalibration (Platt or isotonic) and raise approval thresholds until the error is back within bound.");
    }

    private static AuditCheckResult Watchdog(AuditSnapshot s, AuditBounds b)
    {
        if (s.CriticalLoops.Count == 0)
        {
            return WatchdogRule.Fail("No critical loop is registered with the watchdog.",
                "The watchdog watches nothing: check the daemon's heartbeat registration.");
        }
        var bad = s.CriticalLoops.Where(l => s.Now - l.LastProgressAt > b.LoopProgressMaxAge)
            .Select(l => $"{l.Name} (silent {Ago(s.Now - l.LastProgressAt)})").ToArray();
        return bad.Length == 0
            ? WatchdogRule.Pass(Invariant($"All {s.CriticalLoops.Count} critical loops reported within {Ago(b.LoopProgressMaxAge)}."))
            : WatchdogRule.Fail(Invariant($"Loops silent longer than {Ago(b.LoopProgressMaxAge)}: {Name(bad)}."),
                "A hung loop: check the errors log for it; systemd will restart the daemon when the watchdog lapses — restart it now if not (`systemctl restart sovereign-node`).");
    }
}
