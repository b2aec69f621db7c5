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
            INSERT INTO decisions (id, type, status, confidence, created_at, decided_at, decided_by, reason, explanation)
            VALUES ($id, $type, $status, $confidence, $created, $decided, $by, $reason, $explanation)
            """)
            .With("$id", decision.Id).With("$type", decision.Type).With("$status", decision.Status).With("$confidence", decision.Confidence)
            .With("$created", decision.CreatedAt).With("$decided", decision.DecidedAt).With("$by", decision.DecidedBy)
            .With("$reason", decision.Reason).With("$explanation", System.Text.Encoding.UTF8.GetBytes(decision.Explanation))
            .ExecuteNonQuery();
    }

    /// <summary>
    /// Approves (<paramref name="approve"/>) or rejects a pending decision, recording the guardian,
    /// the reason and <see cref="DecisionDecidedEvent"/>.
    /// </summary>
    public VerdictOutcome Decide(string id, bool approve, string guardian, string reason)
    {
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
}
