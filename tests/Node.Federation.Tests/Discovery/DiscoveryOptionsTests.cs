using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Node.Federation.Discovery;

namespace Node.Federation.Tests.Discovery;

public sealed class DiscoveryOptionsTests
{
    private static IOptions<DiscoveryOptions> Options(params string[] interfaces)
    {
        var services = new ServiceCollection().AddFederation();
        services.AddOptions<DiscoveryOptions>().Configure(o => o.Interfaces = [.. interfaces]);
        return services.BuildServiceProvider().GetRequiredService<IOptions<DiscoveryOptions>>();
    }

    [Fact]
    public void By_default_discovery_is_on_over_ipv4_and_ipv6_on_every_suitable_interface()
    {
        var options = new DiscoveryOptions();

        Assert.True(options.Enabled);
        Assert.True(options.IPv6);
        Assert.Empty(options.Interfaces);
        Assert.Equal("Federation:Discovery", DiscoveryOptions.SectionName);
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("wlp2s0")]
    [InlineData("enp0s31f6")]
    [InlineData("br-lan")]
    [InlineData("eth0.100")]
    [InlineData("veth_a@if3")]
    [InlineData("abcdefghijklmno")]
    public void Interface_names_are_accepted(string name) => Assert.Equal([name], Options(name).Value.Interfaces);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("abcdefghijklmnop", "longer than 15 characters")]
    [InlineData("eth 0", "an unexpected character")]
    [InlineData("eth0/1", "an unexpected character")]
    [InlineData("..", "not a name")]
    public void Other_names_are_refused_naming_the_key_the_value_and_why(string name, string why)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options("eth0", name).Value);

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith("Federation:Discovery:Interfaces:1 must be an interface name such as eth0", failure, StringComparison.Ordinal);
        Assert.EndsWith($"was '{name}' ({why}).", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interface_named_twice_is_refused()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options("eth0", "wlan0", "eth0").Value);

        Assert.Equal("Federation:Discovery:Interfaces names eth0 more than once.", Assert.Single(ex.Failures));
    }
}
