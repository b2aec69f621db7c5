using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Node.Reasoning.Confidence;

namespace Node.Reasoning.Governance;

/// <summary>
/// Knowledge governance's review of a quarantined packet (ARCHITECTURE.md, trust tiers): the confidence
/// that it may leave quarantine for the knowledge base, as the <c>promotion</c> decision the decision
/// matrix judges (threshold 0.9, at most 10 automatic approvals an hour).
/// </summary>
/// <remarks>
/// <para>Guardrails first (the HRM checks): a packet stamped more than <see cref="MaxAheadOfClock"/> ahead of
/// this node's clock, or whose content is not what its media type says (JSON that does not parse,
/// text that is not UTF-8), gets confidence 0 and waits for a guardian.</para>
/// <para>Otherwise evidence is added in log-odds, each piece independent, neutral at 0:</para>
/// <list type="bullet">
/// <item>the relaying peer's record with guardians, Laplace's rule of succession:
/// logit((1 + promoted) / (2 + promoted + rejected)) — a new peer is 0.5 (neutral), nine guardian promotions
/// and no rejection give 10/11 ≈ 0.91, over the threshold;</item>
/// <item>the author: a core peer's or this node's own signature adds logit(0.97) — it is the word of
/// someone trusted, whoever relayed it; any other author adds nothing;</item>
/// <item>corroboration: the same content already in the knowledge base for the slot from another author
/// adds logit(0.9).</item>
/// </list>
/// <para>So a new sandbox peer's own packets wait for a guardian until a guardian has promoted enough of them,
/// and a rejection costs the peer more than a promotion earns it. Pure and deterministic.</para>
/// </remarks>
public static class PromotionReview
{
    /// <summary>How far ahead of this node's clock a packet's timestamp may be (the hybrid clock's drift bound).</summary>
    public static readonly TimeSpan MaxAheadOfClock = TimeSpan.FromMinutes(5);

    /// <summary>Deepest JSON content accepted as well formed.</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>What a trusted author's signature is worth, as a probability.</summary>
    public const double TrustedAuthor = 0.97;

    /// <summary>What the same content from another author in the knowledge base is worth, as a probability.</summary>
    public const double Corroboration = 0.9;

    /// <summary>Reviews one packet.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="evidence"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A guardian count is negative.</exception>
    public static PromotionAssessment Review(PromotionEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentOutOfRangeException.ThrowIfNegative(evidence.GuardianPromoted);
        ArgumentOutOfRangeException.ThrowIfNegative(evidence.GuardianRejected);

        if (evidence.AheadOfClock > MaxAheadOfClock)
        {
            return Failed("clock", string.Create(CultureInfo.InvariantCulture,
                $"stamped {evidence.AheadOfClock.TotalSeconds:0} s ahead of this node's clock (at most {MaxAheadOfClock.TotalSeconds:0} s)"));
        }

        if (ContentProblem(evidence.MediaType, evidence.Content.Span) is { } problem)
        {
            return Failed("content", problem);
        }

        var promoted = evidence.GuardianPromoted;
        var rejected = evidence.GuardianRejected;
        var record = (1.0 + promoted) / (2.0 + promoted + rejected);
        var factors = new List<PromotionFactor>(3)
        {
            new("relayer_record", string.Create(CultureInfo.InvariantCulture,
                $"a guardian promoted {promoted} and rejected {rejected} of the relaying peer's packets"), LogOddsPool.Logit(record)),
            evidence.Author switch
            {
                AuthorStanding.Core => new("author", "written by a core peer", LogOddsPool.Logit(TrustedAuthor)),
                AuthorStanding.Self => new("author", "written by this node", LogOddsPool.Logit(TrustedAuthor)),
                AuthorStanding.Relayer => new("author", "written by the relaying peer", 0),
                _ => new("author", "written by a node this node does not trust", 0),
            },
            evidence.Corroborated
                ? new("corroboration", "the knowledge base holds the same content for its slot from another author", LogOddsPool.Logit(Corroboration))
                : new("corroboration", "nothing in the knowledge base says the same", 0),
        };
        var logOdds = 0.0;
        foreach (var factor in factors)
        {
            logOdds += factor.LogOdds;
        }

        return new PromotionAssessment(LogOddsPool.Sigmoid(logOdds), factors, null);
    }

    private static PromotionAssessment Failed(string guardrail, string detail) =>
        new(0, [new PromotionFactor(guardrail, detail, double.NegativeInfinity)], guardrail);

    // Null when the content is what its media type says, as far as can be told without parsing every format.
    private static string? ContentProblem(string mediaType, ReadOnlySpan<byte> content)
    {
        var type = mediaType.Split(';', 2)[0].Trim();
        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            var reader = new Utf8JsonReader(content, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
            try
            {
                while (reader.Read())
                {
                }

                return reader.TokenType == JsonTokenType.None ? "its content is empty, not JSON" : null;
            }
            catch (JsonException e)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"its content is not well-formed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
            }
        }

        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) && !Utf8.IsValid(content)
            ? "its content is not UTF-8 text"
            : null;
    }
}
