using System.Text;
using CsCheck;
using Node.Reasoning.Memory;

namespace Node.Reasoning.Tests.Memory;

public sealed class PacketLeanTests
{
    private const string Self = "self-node";
    private const string FormerSelf = "former-self-node";
    private const string Other = "other-node";

    // This node, under its current id or the one it rotated away from.
    private static bool IsSelf(string author) => author is Self or FormerSelf;

    public static TheoryData<string, string, string, string?, int> Packets => new()
    {
        // kind, author, content → subject (null: not counted), direction
        { "insight", Other, """{"subject":"spx","direction":1}""", "spx", 1 },
        { "insight", Self, """{"subject":"spx","direction":-3}""", "spx", -1 },
        { "decision", Other, """{"direction":-1,"note":{"a":[1,2]},"subject":"ndx"}""", "ndx", -1 },
        { "decision", Self, """{"subject":"spx","direction":1}""", null, 0 },
        { "decision", FormerSelf, """{"subject":"spx","direction":1}""", null, 0 },
        { "observation", Other, """{"subject":"spx","direction":1}""", null, 0 },
        { "insight", Other, """{"subject":"spx","direction":0}""", null, 0 },
        { "insight", Other, """{"subject":"spx","direction":1.5}""", null, 0 },
        { "insight", Other, """{"subject":"spx","direction":"up"}""", null, 0 },
        { "insight", Other, """{"subject":"","direction":1}""", null, 0 },
        { "insight", Other, """{"subject":7,"direction":1}""", null, 0 },
        { "insight", Other, """["spx",1]""", null, 0 },
        { "insight", Other, """{"subject":"spx","direction":1""", null, 0 },
        { "insight", Other, "not json", null, 0 },
        { "insight", Other, "", null, 0 },
    };

    [Theory]
    [MemberData(nameof(Packets))]
    public void Joey_counts_decisions_and_insights_of_others_that_name_a_subject_and_a_direction(string kind, string author, string content, string? subject, int direction)
    {
        var counted = PacketLean.TryRead(kind, author, IsSelf, Encoding.UTF8.GetBytes(content), out var readSubject, out var readDirection);

        Assert.Equal(subject is not null, counted);
        if (counted)
        {
            Assert.Equal(subject, readSubject);
            Assert.Equal(direction, readDirection);
        }
    }

    [Fact]
    public void A_subject_longer_than_the_limit_or_content_past_the_size_cap_is_not_counted()
    {
        var longSubject = $$"""{"subject":"{{new string('s', PacketLean.MaxSubjectLength + 1)}}","direction":1}""";
        Assert.False(PacketLean.TryRead("insight", Other, IsSelf, Encoding.UTF8.GetBytes(longSubject), out _, out _));

        var padded = $$"""{"pad":"{{new string(' ', PacketLean.MaxContentBytes)}}","subject":"spx","direction":1}""";
        Assert.False(PacketLean.TryRead("insight", Other, IsSelf, Encoding.UTF8.GetBytes(padded), out _, out _));
    }

    [Fact]
    public void Deep_nesting_invalid_UTF8_and_random_bytes_are_not_counted_and_never_throw()
    {
        var deep = Encoding.UTF8.GetBytes("{\"x\":" + new string('[', 64) + new string(']', 64) + ",\"subject\":\"spx\",\"direction\":1}");
        Assert.False(PacketLean.TryRead("insight", Other, IsSelf, deep, out _, out _));

        byte[] badUtf8 = [.. "{\"subject\":\""u8, 0xC3, 0x28, .. "\",\"direction\":1}"u8];
        Assert.False(PacketLean.TryRead("insight", Other, IsSelf, badUtf8, out _, out _));

        // Any answer will do; the property is that none throws.
        Gen.Byte.Array[0, 200].Sample(bytes => PacketLean.TryRead("insight", Other, IsSelf, bytes, out _, out _) || true, iter: 5000);
        Gen.String.Sample(text => PacketLean.TryRead("decision", Other, IsSelf, Encoding.UTF8.GetBytes(text), out _, out _) || true, iter: 2000);
    }
}
