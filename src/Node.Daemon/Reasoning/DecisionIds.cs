using System.Security.Cryptography;
using System.Text.Json;
using Node.Reasoning.Decisions;

namespace Node.Daemon.Reasoning;

/// <summary>What every decision the node makes shares: its id, and the verdict at the end of its explanation chain.</summary>
internal static class DecisionIds
{
    /// <summary>A new decision id: time-ordered and unique, Unix ms (12 hex digits) and 8 random hex digits.</summary>
    public static string New(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[4];
        RandomNumberGenerator.Fill(random);
        return $"{now.ToUnixTimeMilliseconds():x12}{Convert.ToHexStringLower(random)}";
    }

    /// <summary>Writes the explanation chain's <c>verdict</c> object: the matrix's outcome, its reason and the figures it judged by.</summary>
    public static void WriteVerdict(Utf8JsonWriter json, DecisionVerdict verdict)
    {
        json.WriteStartObject("verdict");
        json.WriteString("outcome", verdict.IsAutoApproved ? "auto_approved" : "escalated");
        json.WriteString("reason", DecisionReasons.Describe(verdict));
        json.WriteNumber("threshold", verdict.Threshold);
        json.WriteNumber("max_auto_per_hour", verdict.MaxAutoPerHour);
        json.WriteNumber("approvals_in_last_hour", verdict.ApprovalsInLastHour);
        json.WriteEndObject();
    }
}
