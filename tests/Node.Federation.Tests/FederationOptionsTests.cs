using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Node.Federation.Tests;

public sealed class FederationOptionsTests
{
    private static IOptions<FederationOptions> Options(int peerPort)
    {
        var services = new ServiceCollection().AddFederation();
        services.AddOptions<FederationOptions>().Configure(o => o.PeerPort = peerPort);
        return services.BuildServiceProvider().GetRequiredService<IOptions<FederationOptions>>();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8102)]
    [InlineData(65535)]
    public void Ports_from_0_to_65535_are_accepted(int port) => Assert.Equal(port, Options(port).Value.PeerPort);

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Other_ports_are_refused_with_the_key_the_value_and_the_range(int port)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options(port).Value);

        Assert.Equal($"Federation:PeerPort must be a port from 0 to 65535 (0 picks a free port); was {port}.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void The_default_is_the_installed_peer_port() => Assert.Equal(8102, new FederationOptions().PeerPort);
}
