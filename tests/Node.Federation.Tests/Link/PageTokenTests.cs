using CsCheck;
using Node.Federation.Link.Server;

namespace Node.Federation.Tests.Link;

public sealed class PageTokenTests
{
    [Fact]
    public void A_token_gives_back_its_key_and_garbage_is_refused_without_throwing()
    {
        Gen.String.Sample(key => PageToken.Read(PageToken.Write(key)) == key || key.Any(char.IsSurrogate));
        Gen.String.Sample(token => { _ = PageToken.Read(token); });
        Gen.Byte.Array[0, 64].Sample(bytes => { _ = PageToken.Read(System.Buffers.Text.Base64Url.EncodeToString(bytes)); });
        Assert.Equal("", PageToken.Read(""));
        Assert.Null(PageToken.Read("!!"));
        Assert.Null(PageToken.Read(new string('A', 600)));
    }
}
