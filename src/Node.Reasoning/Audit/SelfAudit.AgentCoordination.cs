using Node.Reasoning.Findings;

namespace Node.Reasoning.Audit;

public static partial class SelfAudit
{
    private static readonly Rule ReasonersRule =
        new("agents.reasoners_ran", AuditCategory.AgentCoordination, "All five reasoners ran recently");
    private static readonly Rule ReflectionRule =
        new("agents.reflection", AuditCategory.AgentCoordination, "Aletheia's reflection runs on schedule");
    private static readonly Rule ConflictRule =
        new("agents.conflict_rate", AuditCategory.AgentCoordination, "Aletheia's conflict rate is within bound");
    private static readonly Rule RecallRule =
        new("agents.recall", AuditCategory.AgentCoordination, "Joey's recent memory recalls answered");

    private static AuditCheckResult ReasonersRan(AuditSnapshot s, AuditBounds b)
    {
        var bad = new List<string>();
        foreach (var reasoner in Enum.GetValues<Reasoner>())
        {
            // A reasoner that never ran is late only once the node has been up longer than the bound.
            var last = s.Reasoners.Where(r => r.Reasoner == reasoner).Select(r => r.LastRunAt).FirstOrDefault();
            if (s.Now - (last ?? s.StartedAt) > b.ReasonerMaxIdle)
            {
                bad.Add(last is null ? $"{reasoner} (never ran)" : $"{reasoner} (idle {Ago(s.Now - last.Value)})");
            }
        }
        return bad.Count == 0
            ? ReasonersRule.Pass(Invariant($"Every reasoner ran within {Ago(b.ReasonerMaxIdle)}."))
            : ReasonersRule.Fail(Invariant($"Reasoners idle longer than {Ago(b.ReasonerMaxIdle)}: {Name(bad)}."),
                "Check that observations still arrive and the reasoning log for the idle reasoner's errors; restart the daemon if the pipeline is stuck.");
    }

    private static AuditCheckResult Reflection(AuditSnapshot s, AuditBounds b)
    {
        if (s.Cycles < b.ReflectionEveryCycles)
        {
            return ReflectionRule.NotApplicable(Invariant($"Only {s.Cycles} cycles ran; reflection is due after {b.ReflectionEveryCycles}."));
        }
        var since = s.Cycles - (s.LastReflectionCycle ?? 0);
        var limit = b.ReflectionEveryCycles + b.ReflectionSlackCycles;
        return since <= limit
            ? ReflectionRule.Pass(Invariant($"Reflection last ran {since} cycles ago (limit {limit})."))
            : ReflectionRule.Fail(s.LastReflectionCycle is null
                    ? Invariant($"Aletheia's reflection never ran in {s.Cycles} cycles (limit {limit}).")
                    : Invariant($"Aletheia's reflection last ran {since} cycles ago, at cycle {s.LastReflectionCycle} (limit {limit})."),
                "Check the reasoning log for reflection errors; without reflection the reasoners' weights stop learning from outcomes.");
    }

    private static AuditCheckResult ConflictRate(AuditSnapshot s, AuditBounds b)
    {
        if (s.Conclusions < b.ConflictRateMinConclusions)
        {
            return ConflictRule.NotApplicable(Invariant($"Only {s.Conclusions} conclusions; the conflict rate is judged from {b.ConflictRateMinConclusions}."));
        }
        var rate = (double)s.AletheiaConflicts / s.Conclusions;
        var finding = Invariant($"{s.AletheiaConflicts} conflicts in {s.Conclusions} conclusions: rate {rate:0.###} (bound {b.MaxConflictRate:0.###}).");
        return rate <= b.MaxConflictRate
            ? ConflictRule.Pass(finding)
            : ConflictRule.Fail(finding,
                "Review Aletheia's recent contradictions in the reasoning log; reasoners that disagree this often need their parameters or weights revisited.");
    }

    private static AuditCheckResult Recall(AuditSnapshot s, AuditBounds b)
    {
        if (s.RecallAttempts.Count == 0)
        {
            return RecallRule.NotApplicable("Joey has not recalled anything yet.");
        }
        var recent = s.RecallAttempts.TakeLast(b.RecallAttemptsChecked).ToArray();
        var bad = recent.Where(a => a.Error is not null)
            .Select(a => Invariant($"{a.At:O}: {a.Error}")).ToArray();
        return bad.Length == 0
            ? RecallRule.Pass(Invariant($"Joey's last {recent.Length} recalls answered."))
            : RecallRule.Fail(Invariant($"{bad.Length} of Joey's last {recent.Length} recalls failed: {Name(bad)}."),
                "Check the memory store (`nodectl log verify`, the errors log); reasoning without recall ignores what the node already knows.");
    }
}
