using System.Buffers;
using System.Text.Json;
using Node.Daemon.Replay;
using Node.Reasoning;
using Node.Reasoning.Decisions;
using Node.Reasoning.Findings;

namespace Node.Daemon.Reasoning;

/// <summary>The reasoning host's decisions: the matrix's verdict, the explanation chain, the hand-over to the recorder.</summary>
internal sealed partial class ReasoningHost
{
    private async ValueTask<(string?, DecisionVerdict?)> DecideAsync(string subject, Conclusion conclusion, Finding[] findings,
        CancellationToken cancellationToken)
    {
        if (conclusion.HasClaim)
        {
            _conclusions++;
            _conclusionLog.Enqueue(subject, conclusion, _time.GetUtcNow());
        }

        if (conclusion.DecisionType is not { } type)
        {
            return (null, null);
        }

        var verdict = Matrix.Evaluate(type, conclusion.Confidence);
        if (verdict.Outcome == DecisionOutcome.Refused)
        {
            return (null, verdict);
        }

        var now = _time.GetUtcNow();
        var id = DecisionIds.New(now);
        var explanation = Explain(subject, conclusion, findings, verdict);
        _decisions++;
        await _recorder.EnqueueAsync(new PendingDecision(id, type, verdict.IsAutoApproved, conclusion.Confidence, now,
            DecisionReasons.Describe(verdict), subject, explanation), cancellationToken).ConfigureAwait(false);
        return (id, verdict);
    }

    // The explanation chain: the claim, each finding, each stage's confidence with its pooling weight, and the verdict.
    private byte[] Explain(string subject, in Conclusion conclusion, Finding[] findings, DecisionVerdict verdict)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("subject", subject);
            json.WriteNumber("time", conclusion.Time);
            json.WriteString("claim", ReasoningNames.Of(conclusion.Claim));
            json.WriteNumber("direction", conclusion.Direction);
            ReasoningJson.Number(json, "confidence", conclusion.Confidence);
            ReasoningJson.Number(json, "score", conclusion.Score);
            json.WriteStartArray("stages");
            var pool = _engine.Aletheia.Pool;
            for (var i = 0; i < StageConfidences.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("stage", StageConfidences.Names[i]);
                ReasoningJson.Number(json, "confidence", conclusion.Stages[i]);
                ReasoningJson.Number(json, "weight", pool.GetWeight(i));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            ReasoningJson.Number(json, "bias", pool.Bias);
            json.WriteString("calibration", ReasoningNames.Of(_engine.Aletheia.Calibrator.Method));
            ReasoningJson.WriteFindings(json, findings);
            DecisionIds.WriteVerdict(json, verdict);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
