using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Tests.Support;

namespace Node.Federation.Tests.Scrub;

/// <summary>After a key rotation, the packets this node signed under its former key are still its own: verified, never "unknown author".</summary>
public sealed class RotatedScrubTests
{
    [Fact]
    public async Task A_scrub_after_a_rotation_verifies_the_packets_signed_with_the_former_key()
    {
        await using var node = new ScrubNode();
        await node.PutAsync("kitchen", "temperature", "21.5");
        using (var rotation = new IdentityRotation(node.Identity, node.Store, node.Time, NullLogger<IdentityRotation>.Instance))
        {
            await rotation.RequestAsync("test", TestContext.Current.CancellationToken);
        }

        using var rotated = await IdentityRotation.OpenAsync(IdentityHost.LoadOrCreate(node.Directory, NullLogger<IdentityHost>.Instance), node.Store,
            NullLogger<IdentityRotation>.Instance, TestContext.Current.CancellationToken);
        var scrub = new PacketScrub(node.Store, rotated, Microsoft.Extensions.Options.Options.Create(node.Options), node.Time, NullLogger<PacketScrub>.Instance);

        var report = await scrub.RunAsync("test", TestContext.Current.CancellationToken);

        Assert.NotEqual(node.Identity.Identity.Id, rotated.Identity.Id);
        Assert.Equal([node.Identity.Identity.Id.ToString()], rotated.FormerIds);
        Assert.Equal((1L, 0L, 0L), (report.Checked, report.Unverified, report.Corrupt));
    }
}
