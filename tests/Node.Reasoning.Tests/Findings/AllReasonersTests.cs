using Node.Reasoning.Findings;

namespace Node.Reasoning.Tests.Findings;

public sealed class AllReasonersTests
{
    [Fact]
    public void Counts_every_reasoner_and_their_values_index_an_array_of_that_length()
    {
        Assert.Equal(Enumerable.Range(0, AllReasoners.Count), Enum.GetValues<Reasoner>().Select(r => (int)r));
    }

    [Fact]
    public void Every_reasoner_has_a_name_of_its_own()
    {
        var names = Enum.GetValues<Reasoner>().Select(ReasoningNames.Of).ToList();
        Assert.Equal(AllReasoners.Count, names.Distinct(StringComparer.Ordinal).Count());
    }
}
