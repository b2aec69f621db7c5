using System.Net;
using CsCheck;
using Node.Federation.Link.Server;

namespace Node.Federation.Tests.Link;

/// <summary>The peer port's connection caps: per host (an IPv4 or IPv6 address), per IPv6 /64, and in total.</summary>
public sealed class ConnectionSlotsTests
{
    private static ConnectionSource From(string address) => ConnectionSlots.SourceOf(IPAddress.Parse(address));

    [Fact]
    public void Caps_hold_per_address_and_in_total_and_released_slots_come_back()
    {
        var slots = new ConnectionSlots(total: 3, perAddress: 2);
        Assert.True(slots.TryTake(From("10.0.0.1"), out _));
        Assert.True(slots.TryTake(From("10.0.0.1"), out _));
        Assert.False(slots.TryTake(From("10.0.0.1"), out var perAddress));
        Assert.Equal(PeerRefusal.OverAddressCap, perAddress);
        Assert.True(slots.TryTake(From("10.0.0.2"), out _));
        Assert.False(slots.TryTake(From("10.0.0.3"), out var total));
        Assert.Equal(PeerRefusal.OverTotalCap, total);

        slots.Release(From("10.0.0.1"));

        Assert.True(slots.TryTake(From("10.0.0.3"), out _));
        Assert.Equal(3, slots.Open);
    }

    [Fact]
    public void Ipv6_hosts_of_one_lan_each_get_their_own_cap_and_their_64_a_higher_one()
    {
        var slots = new ConnectionSlots(total: 100, perAddress: 2, perPrefix: 5);
        // Two peers on one LAN /64 (link-local or not): each has its own per-address cap.
        Assert.True(slots.TryTake(From("fe80::1"), out _));
        Assert.True(slots.TryTake(From("fe80::1"), out _));
        Assert.False(slots.TryTake(From("fe80::1"), out _));
        Assert.True(slots.TryTake(From("fe80::2"), out _));
        Assert.True(slots.TryTake(From("fe80::2"), out _));
        // One machine cycling through its /64 meets the prefix cap.
        Assert.True(slots.TryTake(From("fe80::3"), out _));
        Assert.False(slots.TryTake(From("fe80::4"), out var prefix));
        Assert.Equal(PeerRefusal.OverAddressCap, prefix);
        Assert.True(slots.TryTake(From("fe80:0:0:1::4"), out _));

        slots.Release(From("fe80::1"));
        Assert.True(slots.TryTake(From("fe80::4"), out _));
        Assert.Equal(6, slots.Open);
    }

    [Fact]
    public void A_host_counts_as_itself_whatever_form_its_address_takes()
    {
        Assert.Equal(new ConnectionSource("192.168.1.20", null), From("::ffff:192.168.1.20"));
        Assert.Equal(new ConnectionSource("192.168.1.20", null), From("192.168.1.20"));
        Assert.Equal(From("fe80::1%2"), From("fe80::1%3"));
        Assert.Equal("2001:db8:1:2::/64", From("2001:db8:1:2::1").Prefix);
        Assert.Equal(From("2001:db8:1:2::1").Prefix, From("2001:db8:1:2:ffff::9").Prefix);
        Assert.NotEqual(From("2001:db8:1:2::1").Host, From("2001:db8:1:2:ffff::9").Host);
        Assert.NotEqual(From("2001:db8:1:2::1").Prefix, From("2001:db8:1:3::1").Prefix);
        Assert.Equal("2001:db8:1:2::/64", ConnectionSlots.KeyOf(IPAddress.Parse("2001:db8:1:2::7")));
        Assert.Equal("unknown", ConnectionSlots.SourceOf(null).Host);
    }

    [Fact]
    public void Slots_never_go_negative_or_past_the_caps_whatever_the_order() =>
        Gen.Select(Gen.Int[0, 5], Gen.Bool).Array[0, 80].Sample(steps =>
        {
            var slots = new ConnectionSlots(total: 6, perAddress: 2, perPrefix: 3);
            var held = new List<ConnectionSource>();
            foreach (var (host, take) in steps)
            {
                // Hosts 0–2 in one IPv6 /64, 3–5 are IPv4.
                var source = From(host < 3 ? $"2001:db8::{host + 1}" : $"10.0.0.{host}");
                if (take && slots.TryTake(source, out _))
                {
                    held.Add(source);
                }
                else if (!take)
                {
                    slots.Release(source);
                    held.Remove(source);
                }

                Assert.Equal(held.Count, slots.Open);
                Assert.InRange(slots.Open, 0, 6);
                Assert.All(held.GroupBy(s => s.Host), g => Assert.InRange(g.Count(), 1, 2));
                Assert.InRange(held.Count(s => s.Prefix is not null), 0, 3);
            }
        });
}
