using System.Net;
using Node.Federation.Discovery;

namespace Node.Federation.Tests.Discovery;

/// <summary>RFC 6762 §11: which sources a unicast datagram is taken from.</summary>
public sealed class MdnsInterfaceTests
{
    private static readonly MdnsInterface Eth0 = new(2, "eth0", [IPAddress.Parse("192.168.1.20"), IPAddress.Parse("fd00::20"), IPAddress.Parse("fe80::20%2")])
    {
        PrefixLengths = [23, 64, 64],
    };

    [Theory]
    [InlineData("192.168.1.7", true)]
    [InlineData("192.168.0.250", true)] // a /23 holds 192.168.0.0–192.168.1.255
    [InlineData("192.168.2.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("::ffff:192.168.1.9", true)]
    [InlineData("fd00::99", true)]
    [InlineData("fd00:1::99", false)]
    [InlineData("fe80::1234", true)] // link-local is on the link by definition
    [InlineData("2001:db8::1", false)]
    public void A_source_is_on_the_link_when_it_is_inside_one_of_the_interface_subnets(string source, bool onLink) =>
        Assert.Equal(onLink, Eth0.IsOnLink(IPAddress.Parse(source)));

    [Fact]
    public void Without_prefixes_nothing_can_be_judged_and_everything_is_taken() =>
        Assert.True((Eth0 with { PrefixLengths = [] }).IsOnLink(IPAddress.Parse("203.0.113.9")));
}
