using Node.Storage.Events.Payloads;
using Node.Storage.Internal;
using Node.Storage.Writing;

namespace Node.Storage.Decisions;

/// <summary>The decisions, inside a write: recorded as the matrix makes them, decided by a guardian.</summary>
public sealed class DecisionTable : DecisionQueries
{
    private readonly WriteContext _context;

    internal DecisionTable(CommandCache commands, WriteContext context)
        : base(commands) => _context = context;

    /// <summary>Records a decision the matrix made.</summary>
    public void Insert(DecisionRecord decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Commands.Get("""
            INSERT INTO decisions (id, type, status, confidence, created_at, decided_at, decided_by, reason, explanation, subject)
            VALUES ($id, $type, $status, $confidence, $created, $decided, $by, $reason, $explanation, $subject)
            """)
            .With("$id", decision.Id).With("$type", decision.Type).With("$status", decision.Status).With("$confidence", decision.Confidence)
            .With("$created", decision.CreatedAt).With("$decided", decision.DecidedAt).With("$by", decision.DecidedBy)
            .With("$reason", decision.Reason).With("$explanation", System.Text.Encoding.UTF8.GetBytes(decision.Explanation))
            .With("$subject", decision.Subject).ExecuteNonQuery();
    }

    /// <summary>
    /// Approves (<paramref name="approve"/>) or rejects a pending decision, recording the guardian,
    /// the reason and <see cref="DecisionDecidedEvent"/>.
    /// </summary>
    public VerdictOutcome Decide(string id, bool approve, string guardian, string reason)
    {
        ArgumentNullException.ThrowIfNull(id);
        switch (Commands.Get("SELECT status FROM decisions WHERE id = $id").With("$id", id).ExecuteScalar() as string)
        {
            case null:
                return VerdictOutcome.NotFound;
            case not DecisionStatuses.Pending:
                return VerdictOutcome.NotPending;
        }

        var verdict = approve ? DecisionStatuses.Approved : DecisionStatuses.Rejected;
        Commands.Get("UPDATE decisions SET status = $status, decided_at = $now, decided_by = $by, reason = $reason WHERE id = $id")
            .With("$status", verdict).With("$now", _context.Now).With("$by", guardian).With("$reason", reason).With("$id", id)
            .ExecuteNonQuery();
        _context.AppendEvent(new DecisionDecidedEvent(id, verdict, guardian, reason));
        return VerdictOutcome.Decided;
    }

    /// <summary>
    /// Decides the pending decision of <paramref name="type"/> about <paramref name="subject"/>, if there is one, as
    /// <see cref="Decide"/> does: a guardian who acts on the subject directly (promotes a packet) answers the question too.
    /// </summary>
    /// <returns>The id of the decision decided; null when none was pending.</returns>
    public string? DecidePendingAbout(string type, string subject, bool approve, string guardian, string reason)
    {
        var pending = Commands.Get("SELECT id FROM decisions WHERE type = $type AND subject = $subject AND status = $pending LIMIT 1")
            .With("$type", type).With("$subject", subject).With("$pending", DecisionStatuses.Pending).ExecuteScalar() as string;
        return pending is not null && Decide(pending, approve, guardian, reason) == VerdictOutcome.Decided ? pending : null;
    }
}
