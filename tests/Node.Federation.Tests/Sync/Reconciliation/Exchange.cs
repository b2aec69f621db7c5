using Node.Federation.Sync.Reconciliation;

namespace Node.Federation.Tests.Sync.Reconciliation;

/// <summary>Runs a whole reconciliation in process: the initiator's queries to the responder and back, until done or refused.</summary>
internal static class Exchange
{
    public static Outcome Run(SyncKeySet initiatorSet, SyncKeySet responderSet, ReconcileOptions? options = null)
    {
        var initiator = new ReconcileInitiator(initiatorSet, options);
        var outcome = new Outcome(initiator);
        var query = initiator.Initiate();
        while (true)
        {
            outcome.Queries.Add(query);
            var reply = ReconcileResponder.Respond(responderSet, query, options);
            if (!reply.Succeeded)
            {
                outcome.ResponderRefusal = reply;
                return outcome;
            }

            outcome.Replies.Add(reply.Message!);
            var next = initiator.Step(reply.Message!, outcome.Have, outcome.Need);
            if (!next.Succeeded)
            {
                outcome.InitiatorRefusal = next;
                return outcome;
            }

            if (next.IsComplete)
            {
                outcome.Complete = true;
                return outcome;
            }

            query = next.Message!;
        }
    }

    public sealed class Outcome(ReconcileInitiator initiator)
    {
        public ReconcileInitiator Initiator { get; } = initiator;

        public List<SyncKey> Have { get; } = [];

        public List<SyncKey> Need { get; } = [];

        public List<byte[]> Queries { get; } = [];

        public List<byte[]> Replies { get; } = [];

        public bool Complete { get; set; }

        public ReconcileResult? ResponderRefusal { get; set; }

        public ReconcileResult? InitiatorRefusal { get; set; }

        public int RoundTrips => Replies.Count;

        public long Bytes => Queries.Sum(q => (long)q.Length) + Replies.Sum(r => (long)r.Length);

        public override string ToString() =>
            $"complete {Complete}, {RoundTrips} round trips, {Bytes} bytes, have {Have.Count}, need {Need.Count}, " +
            $"full strength {Initiator.UsedFullStrength}, responder {ResponderRefusal?.Error} {ResponderRefusal?.Detail}, initiator {InitiatorRefusal?.Error} {InitiatorRefusal?.Detail}";
    }
}
