// Responses from other hosts: conflicts with our names (RFC 6762 §9), short-TTL copies of our records, duplicate answers (§7.4).
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

internal sealed partial class Responder
{
    private bool ReceiveResponse(DnsMessage message, long now)
    {
        var records = _records!;
        foreach (var record in message.Answers.Concat(message.Additionals))
        {
            if (State != ResponderState.Probing && records.All.FirstOrDefault(record.IsSameRecord) is { } mine && record.Ttl < mine.Ttl / 2)
            {
                // Someone announced one of our records with a short TTL or as a goodbye (a forged one, or a
                // confused proxy): caches would drop it. Announce it again, within the rate limit (RFC 6762 §6.6).
                QueueMulticast(mine, now);
                continue;
            }

            if (!records.Owns(record.Name) || record.Ttl == 0 || record.Type is not (DnsRecordType.Srv or DnsRecordType.Txt or DnsRecordType.A or DnsRecordType.Aaaa))
            {
                // Duplicate answer suppression (RFC 6762 §7.4): someone else just multicast a shared answer we were about to send.
                SuppressPending(record);
                continue;
            }

            if (isOurs(record))
            {
                continue;
            }

            if (State == ResponderState.Probing && _probesSent == 0)
            {
                // Not probed for these names yet (the first probe is still to go, or the 5 s back-off
                // runs): a response now says nothing about them, and must not rename us again.
                continue;
            }

            Conflicts++;
            if (State == ResponderState.Probing)
            {
                return true;
            }

            // RFC 6762 §9: a conflicting record after announcing sends the name back to probing.
            Probe(records, now, random.Next(0, ProbeIntervalMs + 1));
            return false;
        }

        return false;
    }
}
