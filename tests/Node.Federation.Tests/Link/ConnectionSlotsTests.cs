using System.Net;
using CsCheck;
using Node.Federation.Link.Server;

namespace Node.Federation.Tests.Link;

/// <summary>The peer port's connection caps: per source (an IPv4 address, an IPv6 /64) and in total.</summary>
public sealed class ConnectionSlotsTests
{
    [Fact]
    public void Caps_hold_per_address_and_in_total_and_released_slots_come_back()
    {
        var slots = new ConnectionSlots(total: 3, perAddress: 2);
        Assert.True(slots.TryTake("10.0.0.1", out _));
        Assert.True(slots.TryTake("10.0.0.1", out _));
        Assert.False(slots.TryTake("10.0.0.1", out var perAddress));
        Assert.Equal(PeerRefusal.OverAddressCap, perAddress);
        Assert.True(slots.TryTake("10.0.0.2", out _));
        Assert.False(slots.TryTake("10.0.0.3", out var total));
        Assert.Equal(PeerRefusal.OverTotalCap, total);

        slots.Release("10.0.0.1");

        Assert.True(slots.TryTake("10.0.0.3", out _));
        Assert.Equal(3, slots.Open);
    }

    [Fact]
    public void A_host_counts_as_itself_whatever_form_its_address_takes()
    {
        Assert.Equal("192.168.1.20", ConnectionSlots.KeyOf(IPAddress.Parse("::ffff:192.168.1.20")));
        Assert.Equal("192.168.1.20", ConnectionSlots.KeyOf(IPAddress.Parse("192.168.1.20")));
        Assert.Equal(ConnectionSlots.KeyOf(IPAddress.Parse("2001:db8:1:2::1")), ConnectionSlots.KeyOf(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(ConnectionSlots.KeyOf(IPAddress.Parse("2001:db8:1:2::1")), ConnectionSlots.KeyOf(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void Slots_never_go_negative_or_past_the_caps_whatever_the_order() =>
        Gen.Select(Gen.Int[0, 3], Gen.Bool).Array[0, 60].Sample(steps =>
        {
            var slots = new ConnectionSlots(total: 5, perAddress: 2);
            var held = new List<string>();
            foreach (var (address, take) in steps)
            {
                var key = $"10.0.0.{address}";
                if (take && slots.TryTake(key, out _))
                {
                    held.Add(key);
                }
                else if (!take)
                {
                    slots.Release(key);
                    held.Remove(key);
                }

                Assert.Equal(held.Count, slots.Open);
                Assert.InRange(slots.Open, 0, 5);
                Assert.All(held.GroupBy(k => k), g => Assert.InRange(g.Count(), 1, 2));
            }
        });
}
