// The one timer: each link's due work (probes, announcements, queries, expiries), then rearmed for the earliest next.
using Node.Federation.Discovery.Internal;

namespace Node.Federation.Discovery;

public sealed partial class MdnsDiscovery
{
    private void OnTimer()
    {
        var changes = new List<DiscoveryChange>();
        lock (_gate)
        {
            if (!_started || _stopped)
            {
                return;
            }

            var now = Now;
            foreach (var link in _links.Values)
            {
                var before = link.Responder.State;
                link.Responder.Tick(now);
                // Logged with the first announcement: from then on peers can list the node.
                if (before == ResponderState.Probing && link.Responder.State != ResponderState.Probing && link.Responder.Records is { } records)
                {
                    LogAnnounced(_logger, records.Instance, records.Host, link.Interface.Name);
                }

                link.Browser.Tick(now, OwnPointers(link), changes);
            }

            changes = Merge(changes);
            Arm();
        }

        Raise(changes);
    }

    private void Arm()
    {
        if (_stopped)
        {
            return;
        }

        var due = _links.Count == 0 ? long.MaxValue : _links.Values.Min(l => l.NextDue);
        _timer.Change(due == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, due - Now)), Timeout.InfiniteTimeSpan);
    }
}
