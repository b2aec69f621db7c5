using Node.Federation.Discovery;

namespace Node.Federation.Tests.Discovery;

public sealed class DiscoveryHintsTests
{
    private static DiscoveryLinkDiagnosis Link(string name, bool joined = true, long received = 10, long sendErrors = 0, int conflicts = 0,
        string? lastError = null) =>
        new(new MdnsLinkStatistics(2, name, joined, joined, 5, received, sendErrors, lastError), "announced", conflicts);

    private static DiscoveryDiagnosis Diagnosis(params DiscoveryLinkDiagnosis[] links) =>
        new("ABCDEFG-HIJKLMN-OPQRSTU-VWXYZ23", "sovereign-abc", links, []);

    [Fact]
    public void Nothing_to_say_when_every_link_joined_and_hears_traffic() =>
        Assert.Empty(DiscoveryHints.For(true, null, Diagnosis(Link("eth0")), []));

    [Fact]
    public void Discovery_switched_off_is_the_only_hint() =>
        Assert.StartsWith("discovery is off (Federation:Discovery:Enabled=false)", Assert.Single(DiscoveryHints.For(false, null, null, [])),
            StringComparison.Ordinal);

    [Fact]
    public void A_link_that_could_not_be_set_up_is_named() =>
        Assert.Contains("Address already in use", Assert.Single(DiscoveryHints.For(true, "Address already in use", null, [])), StringComparison.Ordinal);

    [Fact]
    public void No_suitable_interface_names_the_allow_list_when_there_is_one()
    {
        Assert.StartsWith("no suitable interface: no interface is up", Assert.Single(DiscoveryHints.For(true, null, Diagnosis(), [])), StringComparison.Ordinal);
        Assert.Contains("none of eth1, wlan9 (Federation:Discovery:Interfaces)", Assert.Single(DiscoveryHints.For(true, null, Diagnosis(), ["eth1", "wlan9"])),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Sends_that_failed_before_others_went_through_need_no_hint() =>
        Assert.Empty(DiscoveryHints.For(true, null, Diagnosis(Link("eth0", sendErrors: 2, lastError: null)), []));

    [Fact]
    public void Joined_but_nothing_received_points_at_the_firewall_and_the_switch() =>
        Assert.Equal(["no multicast traffic seen on eth0: check the firewall allows UDP 5353 and the switch passes multicast"],
            DiscoveryHints.For(true, null, Diagnosis(Link("eth0", received: 0), Link("wlan0")), []));

    [Fact]
    public void A_group_not_joined_send_errors_and_conflicts_each_have_a_hint()
    {
        var hints = DiscoveryHints.For(true, null,
            Diagnosis(Link("eth0", joined: false, lastError: "No such device"), Link("wlan0", sendErrors: 3, lastError: "Network is unreachable"),
                Link("eth1", conflicts: 1)), []);

        Assert.Equal(3, hints.Count);
        Assert.StartsWith("eth0: the multicast group could not be joined (No such device)", hints[0], StringComparison.Ordinal);
        Assert.StartsWith("wlan0: 3 sends failed, the last with: Network is unreachable", hints[1], StringComparison.Ordinal);
        Assert.StartsWith("eth1: 1 name conflict: another host answers for our name", hints[2], StringComparison.Ordinal);
    }
}
