using System.Text;
using CsCheck;
using Node.Reasoning.Decisions;
using Node.Reasoning.Governance;

namespace Node.Reasoning.Tests.Governance;

public sealed class PromotionReviewTests
{
    private static readonly string[] MediaTypes = ["application/json", "text/plain", "x+json", "image/png", ""];

    private static readonly byte[] Json = Encoding.UTF8.GetBytes("""{"close": 4321.5, "tags": ["spx"]}""");

    private static PromotionEvidence Evidence(long promoted = 0, long rejected = 0, AuthorStanding author = AuthorStanding.Relayer,
        bool corroborated = false, TimeSpan? ahead = null, string mediaType = "application/json", byte[]? content = null) =>
        new(promoted, rejected, author, corroborated, ahead ?? TimeSpan.Zero, mediaType, content ?? Json);

    private static DecisionOutcome Judged(double confidence) =>
        new DecisionMatrix(DecisionPolicy.Default, TimeProvider.System).Evaluate(DecisionTypes.Promotion, confidence).Outcome;

    [Fact]
    public void A_new_peers_own_packet_is_even_odds_and_waits_for_a_guardian()
    {
        var review = PromotionReview.Review(Evidence());

        Assert.Equal(0.5, review.Confidence, 12);
        Assert.Null(review.FailedGuardrail);
        Assert.Equal(["relayer_record", "author", "corroboration"], review.Factors.Select(f => f.Name));
        Assert.All(review.Factors, f => Assert.Equal(0, f.LogOdds, 12));
        Assert.Equal(DecisionOutcome.Escalated, Judged(review.Confidence));
    }

    [Theory]
    [InlineData(8, 0, DecisionOutcome.Escalated)] // 9/10: at the threshold only in exact arithmetic; not counted on
    [InlineData(9, 0, DecisionOutcome.AutoApproved)] // 10/11
    [InlineData(20, 1, DecisionOutcome.AutoApproved)] // 21/23
    [InlineData(20, 2, DecisionOutcome.Escalated)] // 21/24
    public void A_peers_record_with_guardians_earns_it_automatic_promotion_slowly(long promoted, long rejected, DecisionOutcome expected)
    {
        var review = PromotionReview.Review(Evidence(promoted, rejected));

        Assert.Equal((1.0 + promoted) / (2.0 + promoted + rejected), review.Confidence, 9);
        if (promoted != 8)
        {
            Assert.Equal(expected, Judged(review.Confidence));
        }
    }

    [Theory]
    [InlineData(AuthorStanding.Core)]
    [InlineData(AuthorStanding.Self)]
    public void A_trusted_authors_packet_relayed_by_a_new_sandbox_peer_is_promoted(AuthorStanding author)
    {
        var review = PromotionReview.Review(Evidence(author: author));

        Assert.Equal(PromotionReview.TrustedAuthor, review.Confidence, 9);
        Assert.Equal(DecisionOutcome.AutoApproved, Judged(review.Confidence));
    }

    [Fact]
    public void Corroboration_adds_its_weight_to_the_peers_record()
    {
        var alone = PromotionReview.Review(Evidence(promoted: 3));
        var corroborated = PromotionReview.Review(Evidence(promoted: 3, corroborated: true));

        Assert.Equal(0.8, alone.Confidence, 9);
        Assert.Equal(0.8 * 0.9 / (0.8 * 0.9 + 0.2 * 0.1), corroborated.Confidence, 9); // odds 4 × 9 = 36
        Assert.Contains(corroborated.Factors, f => f.Name == "corroboration" && f.LogOdds > 2);
    }

    [Fact]
    public void A_rejection_costs_a_peer_more_than_a_promotion_earns_it()
    {
        var record = PromotionReview.Review(Evidence(promoted: 5, rejected: 1)).Confidence;

        Assert.True(PromotionReview.Review(Evidence(promoted: 6, rejected: 1)).Confidence - record
            < record - PromotionReview.Review(Evidence(promoted: 5, rejected: 2)).Confidence);
    }

    [Fact]
    public void A_packet_from_the_future_fails_the_clock_guardrail_whatever_else_speaks_for_it()
    {
        var review = PromotionReview.Review(Evidence(promoted: 100, author: AuthorStanding.Core, corroborated: true, ahead: TimeSpan.FromMinutes(6)));

        Assert.Equal(0, review.Confidence);
        Assert.Equal("clock", review.FailedGuardrail);
        var factor = Assert.Single(review.Factors);
        Assert.Equal("stamped 360 s ahead of this node's clock (at most 300 s)", factor.Detail);
        Assert.Equal(double.NegativeInfinity, factor.LogOdds);
        Assert.Equal(DecisionOutcome.Escalated, Judged(review.Confidence));
        Assert.Null(PromotionReview.Review(Evidence(ahead: TimeSpan.FromMinutes(5))).FailedGuardrail);
    }

    [Theory]
    [InlineData("application/json", "{\"a\": 1", "content")]
    [InlineData("application/json", "{\"a\": 1} trailing", "content")]
    [InlineData("application/json", "", "content")]
    [InlineData("application/vnd.sovereign+json; charset=utf-8", "[1, 2", "content")]
    [InlineData("application/json", "  {\"a\": [1, 2, {\"b\": null}]}  ", null)]
    [InlineData("text/plain", "plain words", null)]
    [InlineData("application/octet-stream", "\u00ff\u00fe anything", null)]
    public void Content_must_be_what_its_media_type_says(string mediaType, string content, string? failed)
    {
        var review = PromotionReview.Review(Evidence(mediaType: mediaType, content: Encoding.UTF8.GetBytes(content), promoted: 50));

        Assert.Equal(failed, review.FailedGuardrail);
        Assert.Equal(failed is null, review.Confidence > 0.9);
    }

    [Fact]
    public void Text_that_is_not_utf8_and_json_nested_past_the_limit_fail_the_content_guardrail()
    {
        Assert.Equal("its content is not UTF-8 text",
            Assert.Single(PromotionReview.Review(Evidence(mediaType: "text/plain", content: [0x66, 0xC3, 0x28])).Factors).Detail);

        var deep = Encoding.UTF8.GetBytes(new string('[', PromotionReview.MaxJsonDepth + 1) + new string(']', PromotionReview.MaxJsonDepth + 1));
        var atLimit = Encoding.UTF8.GetBytes(new string('[', PromotionReview.MaxJsonDepth) + new string(']', PromotionReview.MaxJsonDepth));
        Assert.Equal("content", PromotionReview.Review(Evidence(content: deep)).FailedGuardrail);
        Assert.Null(PromotionReview.Review(Evidence(content: atLimit)).FailedGuardrail);
    }

    [Fact]
    public void Confidence_rises_with_promotions_falls_with_rejections_and_stays_in_the_unit_interval()
    {
        Gen.Select(Gen.Long[0, 10_000], Gen.Long[0, 10_000], Gen.Enum<AuthorStanding>(), Gen.Bool).Sample((promoted, rejected, author, corroborated) =>
        {
            var at = PromotionReview.Review(Evidence(promoted, rejected, author, corroborated)).Confidence;
            var more = PromotionReview.Review(Evidence(promoted + 1, rejected, author, corroborated)).Confidence;
            var worse = PromotionReview.Review(Evidence(promoted, rejected + 1, author, corroborated)).Confidence;
            return at is > 0 and < 1 && more >= at && worse <= at;
        });
    }

    [Fact]
    public void Garbage_content_of_any_media_type_never_throws()
    {
        Gen.Select(Gen.Byte.Array[0, 200], Gen.Int[0, MediaTypes.Length - 1].Select(i => MediaTypes[i])).Sample((bytes, type) =>
        {
            var review = PromotionReview.Review(Evidence(mediaType: type, content: bytes));
            return review.Confidence is >= 0 and <= 1;
        });
    }

    [Fact]
    public void Negative_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PromotionReview.Review(Evidence(promoted: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PromotionReview.Review(Evidence(rejected: -1)));
        Assert.Throws<ArgumentNullException>(() => PromotionReview.Review(null!));
    }
}
