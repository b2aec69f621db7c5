// What the transport hands in (IMdnsTransportSink): packets, and interface changes the links are reconciled with.
using Node.Federation.Discovery.Dns;
using Node.Federation.Discovery.Internal;

namespace Node.Federation.Discovery;

public sealed partial class MdnsDiscovery
{
    /// <inheritdoc />
    public void OnPacket(in MdnsPacket packet)
    {
        if (!DnsMessage.TryParse(packet.Data.Span, out var message, out var error))
        {
            if (Interlocked.Increment(ref _malformed) <= 10)
            {
                LogMalformed(_logger, packet.Source, error);
            }

            return;
        }

        if (message.Skipped.Count > 0 && Interlocked.Add(ref _skipped, message.Skipped.Count) - message.Skipped.Count < 10)
        {
            // What the reader could step over costs only itself (an NSEC it finds malformed, a bad name): the rest is used.
            LogSkipped(_logger, packet.Source, message.Skipped.Count, message.Skipped[0]);
        }

        // RFC 6762 §18.3, §18.11: other opcodes and response codes are ignored; §6: responses from a port other than 5353 too.
        if (message.Opcode != 0 || message.ResponseCode != 0 || (message.IsResponse && packet.Source.Port != Responder.MdnsPort))
        {
            return;
        }

        var changes = new List<DiscoveryChange>();
        lock (_gate)
        {
            if (!_started || _stopped || !_links.TryGetValue(packet.InterfaceIndex, out var link))
            {
                return;
            }

            var now = Now;
            var conflicts = link.Responder.Conflicts;
            if (link.Responder.Receive(message, packet.Source, now))
            {
                Rename(link, now);
            }
            else if (link.Responder.Conflicts > conflicts && _profile is not null)
            {
                // Contested but kept for now: a lost tie-break (probe again in 1 s) or a conflicting answer after announcing (probe again).
                LogContested(_logger, _profile.InstanceLabel(_attempt), link.Interface.Name, link.Responder.Conflicts);
            }

            if (message.IsResponse)
            {
                link.Browser.Receive(message, now, changes);
            }

            changes = Merge(changes);
            Arm();
        }

        Raise(changes);
    }

    /// <inheritdoc />
    public void OnInterfacesChanged(IReadOnlyList<MdnsInterface> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        var changes = new List<DiscoveryChange>();
        lock (_gate)
        {
            if (!_started || _stopped)
            {
                return;
            }

            changes.AddRange(Reconcile(interfaces, Now));
            changes = Merge(changes);
            Arm();
        }

        Raise(changes);
    }

    // Links for new interfaces start probing and browsing; gone ones drop their services; changed addresses re-announce.
    private List<DiscoveryChange> Reconcile(IReadOnlyList<MdnsInterface> interfaces, long now)
    {
        var changes = new List<DiscoveryChange>();
        foreach (var gone in _links.Keys.Where(index => interfaces.All(i => i.Index != index)).ToList())
        {
            changes.AddRange(_links[gone].Browser.Services.Select(s => new DiscoveryChange(DiscoveryChangeKind.Lost, s, LossReason.InterfaceGone)));
            _links.Remove(gone);
        }

        foreach (var networkInterface in interfaces)
        {
            if (_links.TryGetValue(networkInterface.Index, out var link))
            {
                if (!link.Interface.IsSameAs(networkInterface))
                {
                    link.Interface = networkInterface;
                    if (_profile is not null)
                    {
                        link.Responder.Update(RecordsFor(networkInterface), now);
                    }
                }

                continue;
            }

            var output = new LinkOutput(_transport, networkInterface.Index);
            link = new InterfaceLink(networkInterface, output, new Responder(output, _random, IsOurs),
                new Browser(output, _random, _time, networkInterface.Index, IsOurs));
            _links.Add(networkInterface.Index, link);
            link.Browser.Start(now);
            if (_profile is not null)
            {
                link.Responder.Probe(RecordsFor(networkInterface), now, ProbeDelayMs());
            }
        }

        return changes;
    }
}
