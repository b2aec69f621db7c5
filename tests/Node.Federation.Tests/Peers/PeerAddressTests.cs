using CsCheck;
using Node.Federation.Peers;

namespace Node.Federation.Tests.Peers;

public sealed class PeerAddressTests
{
    [Theory]
    [InlineData("192.168.1.20:8102", "192.168.1.20:8102")]
    [InlineData("Kitchen.Local:8102", "kitchen.local:8102")]
    [InlineData("[fe80:0:0:0:0:0:0:1]:9000", "[fe80::1]:9000")]
    [InlineData("[::1]:1", "[::1]:1")]
    [InlineData("node-7:65535", "node-7:65535")]
    public void Reads_host_and_port_into_one_canonical_form(string text, string expected)
    {
        Assert.True(PeerAddress.TryParse(text, out var normalized, out var error), error);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("", "must be host:port")]
    [InlineData("kitchen", "is not host:port")]
    [InlineData("kitchen:", "is not host:port")]
    [InlineData(":8102", "is not host:port")]
    [InlineData("kitchen:0", "port '0' must be a number from 1 to 65535")]
    [InlineData("kitchen:65536", "must be a number from 1 to 65535")]
    [InlineData("kitchen:+80", "must be a number from 1 to 65535")]
    [InlineData("fe80::1:8102", "write an IPv6 address as [addr]:port")]
    [InlineData("[10.0.0.1]:80", "is not an IPv6 address")]
    [InlineData("bad host:80", "is not a host name or address")]
    [InlineData("a\nb:80", "is not a host name or address")]
    public void Refuses_what_is_not_an_address_and_says_why(string text, string problem)
    {
        Assert.False(PeerAddress.TryParse(text, out _, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Never_throws_on_arbitrary_text_and_what_it_accepts_reads_back_the_same()
    {
        Gen.String.Sample(text =>
        {
            if (PeerAddress.TryParse(text, out var normalized, out _))
            {
                Assert.True(PeerAddress.TryParse(normalized, out var again, out var error), error);
                Assert.Equal(normalized, again);
            }
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("10.0.0.7", 8102, "10.0.0.7:8102")]
    [InlineData("::ffff:10.0.0.7", 8102, "10.0.0.7:8102")]
    [InlineData("2001:db8:0:0::7", 8102, "[2001:db8::7]:8102")]
    [InlineData("fe80::7%3", 9000, "[fe80::7%3]:9000")]
    public void An_address_found_on_the_network_is_written_the_way_it_reads_back(string ip, int port, string expected)
    {
        var text = PeerAddress.Of(System.Net.IPAddress.Parse(ip), port);

        Assert.Equal(expected, text);
        Assert.True(PeerAddress.TryParse(text, out var normalized, out var error), error);
        Assert.Equal(text, normalized);
    }
}
