using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

public sealed class OutcomeSamplesTests
{
    [Fact]
    public void Keeps_the_newest_samples_oldest_first_and_stores_abstentions_as_NaN()
    {
        var samples = new OutcomeSamples(stageCount: 2, capacity: 3);
        for (var i = 0; i < 4; i++)
        {
            samples.Add([i, double.NaN], pooledScore: 10 + i, outcome: i % 2 == 0, group: 100 + i);
        }

        Assert.Equal(3, samples.Count);
        Assert.Equal(4, samples.TotalAdded);
        Assert.Equal(1, samples.Logits(0)[0]);
        Assert.True(double.IsNaN(samples.Logits(0)[1]));
        Assert.Equal(13, samples.Score(2));
        Assert.False(samples.Outcome(0));
        Assert.Equal(103, samples.Group(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => samples.Score(3));
    }

    [Fact]
    public void Confidences_are_stored_as_clamped_logits()
    {
        var samples = new OutcomeSamples(stageCount: 3);

        samples.AddConfidences([1.0, 0.5], pooledScore: 0, outcome: true);

        Assert.Equal(LogOddsPool.MaxLogit, samples.Logits(0)[0], 12);
        Assert.Equal(0, samples.Logits(0)[1], 12);
        Assert.True(double.IsNaN(samples.Logits(0)[2]));
    }
}
