using CsCheck;
using Node.Federation.Link.Server;

namespace Node.Federation.Tests.Link;

public sealed class PageTokenTests
{
    [Fact]
    public void A_token_gives_back_its_key_for_its_topic_only_and_garbage_is_refused_without_throwing()
    {
        Gen.Select(Gen.String, Gen.String).Sample((topic, key) =>
            PageToken.Read(topic, PageToken.Write(topic, key)) == key || key.Any(char.IsSurrogate));
        Gen.String.Sample(token => { _ = PageToken.Read("t", token); });
        Gen.Byte.Array[0, 64].Sample(bytes => PageToken.Read("t", System.Buffers.Text.Base64Url.EncodeToString(bytes)) is null || bytes.Length == 0);
        Assert.Equal("", PageToken.Read("t", ""));
        Assert.Null(PageToken.Read("other", PageToken.Write("t", "k")));
    }

    [Fact]
    public void A_token_does_not_show_the_key_it_ends_at()
    {
        var token = PageToken.Write("pantry", "safe-code");

        Assert.DoesNotContain("safe", System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token)), StringComparison.Ordinal);
        Assert.NotEqual(token, PageToken.Write("pantry", "safe-code"));
    }
}
