using System.Globalization;
using CsCheck;
using Node.Federation.Diagnostics;

namespace Node.Federation.Tests.Diagnostics;

/// <summary>Text from elsewhere, made fit for a log line: one line, bounded, nothing that reorders or hides what is shown.</summary>
public sealed class RemoteTextTests
{
    [Theory]
    [InlineData("plain", 10, "plain")]
    [InlineData("line one\nforged [ERR] line", 40, "line one?forged [ERR] line")]
    [InlineData("abc\u202Egnp.exe", 20, "abc?gnp.exe")]
    [InlineData("zero\u200Bwidth", 20, "zero?width")]
    [InlineData("0123456789abc", 10, "0123456789…")]
    [InlineData(null, 5, "")]
    [InlineData("ab\U0001F600cd", 3, "ab…")]
    [InlineData("ab\U0001F600cd", 4, "ab\U0001F600…")]
    public void Replaces_control_and_format_characters_and_cuts_at_the_limit(string? text, int max, string expected) =>
        Assert.Equal(expected, RemoteText.Printable(text, max));

    [Fact]
    public void A_lone_half_of_a_surrogate_pair_is_replaced()
    {
        // Not as InlineData: a lone surrogate does not survive the test framework's serialization.
        Assert.Equal("lone ? half", RemoteText.Printable("lone \uD800 half", 20));
        Assert.Equal("lone ? half", RemoteText.Printable("lone \uDC00 half", 20));
        Assert.Equal("??", RemoteText.Printable("\uDC00\uD800", 20));
    }

    [Fact]
    public void Whatever_the_text_the_result_is_one_bounded_line_of_whole_characters() =>
        Gen.Select(Gen.String[Gen.Char, 0, 400], Gen.Int[1, 300]).Sample((text, max) =>
        {
            var printable = RemoteText.Printable(text, max);
            Assert.True(printable.Length <= max + 1, $"{printable.Length} > {max} + 1");
            for (var i = 0; i < printable.Length; i++)
            {
                var c = printable[i];
                Assert.False(char.IsControl(c), $"control character U+{(int)c:X4}");
                Assert.NotEqual(UnicodeCategory.Format, CharUnicodeInfo.GetUnicodeCategory(c));
                if (char.IsHighSurrogate(c))
                {
                    Assert.True(i + 1 < printable.Length && char.IsLowSurrogate(printable[++i]), "a high surrogate without its pair");
                }
                else
                {
                    Assert.False(char.IsLowSurrogate(c), "a low surrogate without its pair");
                }
            }
        });
}
