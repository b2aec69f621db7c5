// The services found: one view per instance over every interface, our own left out, and the changes raised to listeners.
using Node.Federation.Discovery.Dns;
using Node.Federation.Discovery.Internal;

namespace Node.Federation.Discovery;

public sealed partial class MdnsDiscovery
{
    // One view per instance over every interface: a peer seen on eth0 and wlan0 is found once, with
    // the addresses of both, and lost only when no interface sees it any more. Our own is left out.
    private List<DiscoveryChange> Merge(List<DiscoveryChange> linkChanges)
    {
        var merged = new List<DiscoveryChange>();
        foreach (var instance in linkChanges.Select(c => c.Service.Instance).Distinct())
        {
            var views = _links.Values.SelectMany(l => l.Browser.Services).Where(s => s.Instance.Equals(instance)).ToList();
            var known = _reported.TryGetValue(instance, out var before);
            if (views.Count == 0)
            {
                if (known)
                {
                    _reported.Remove(instance);
                    var reason = linkChanges.LastOrDefault(c => c.Kind == DiscoveryChangeKind.Lost && c.Service.Instance.Equals(instance)).Reason;
                    merged.Add(new DiscoveryChange(DiscoveryChangeKind.Lost, before!, reason == LossReason.None ? LossReason.Expired : reason));
                }

                continue;
            }

            var now = views[0] with
            {
                Addresses = views.SelectMany(v => v.Addresses).Distinct().ToArray(),
                LastSeen = views.Max(v => v.LastSeen),
            };
            if (!known)
            {
                merged.Add(new DiscoveryChange(DiscoveryChangeKind.Found, now));
            }
            else if (!before!.IsSameAs(now))
            {
                merged.Add(new DiscoveryChange(DiscoveryChangeKind.Changed, now));
            }

            _reported[instance] = now;
        }

        merged.RemoveAll(c => IsOwn(c.Service));
        return merged;
    }

    private void Raise(List<DiscoveryChange> changes)
    {
        foreach (var change in changes)
        {
            try
            {
                Changed?.Invoke(change);
            }
            catch (Exception ex)
            {
                LogListenerFailed(_logger, change.Service.Instance, ex);
            }
        }
    }

    // The services every interface has resolved, our own left out.
    private DiscoveredService[] Resolved() => [.. _links.Values.SelectMany(l => l.Browser.Services).Where(s => !IsOwn(s))];

    private static IReadOnlyList<DnsRecord> OwnPointers(InterfaceLink link) =>
        link.Responder.State is ResponderState.Announcing or ResponderState.Announced && link.Responder.Records is { } records ? [records.Pointer] : [];

    // Our own announcements come back to our browser (multicast loopback, other interfaces): they are not peers.
    private bool IsOwn(DiscoveredService service) =>
        _profile is not null && service.InstanceLabel == _profile.InstanceLabel(_attempt);
}
