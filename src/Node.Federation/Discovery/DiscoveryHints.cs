namespace Node.Federation.Discovery;

/// <summary>What an operator should look at when discovery finds nothing, read from a <see cref="DiscoveryDiagnosis"/>.</summary>
public static class DiscoveryHints
{
    /// <summary>
    /// The hints for discovery as it stands: off, failed to start, no suitable interface, multicast not
    /// joined, nothing received, sends failing, name conflicts. Empty when nothing looks wrong.
    /// </summary>
    /// <param name="enabled">Whether <c>Federation:Discovery:Enabled</c> is on.</param>
    /// <param name="startError">Why the link could not be set up, or null.</param>
    /// <param name="diagnosis">The engine's diagnosis; null when it is not running.</param>
    /// <param name="interfaces">The allow-list (<c>Federation:Discovery:Interfaces</c>); empty means all.</param>
    public static IReadOnlyList<string> For(bool enabled, string? startError, DiscoveryDiagnosis? diagnosis, IReadOnlyCollection<string> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        if (!enabled)
        {
            return ["discovery is off (Federation:Discovery:Enabled=false): peers are found only when added with 'nodectl peers add HOST:PORT'"];
        }

        if (startError is not null)
        {
            return [$"discovery could not start ({startError}): check that UDP port 5353 is free to share (SO_REUSEADDR) and the node may use it"];
        }

        if (diagnosis is null)
        {
            return ["discovery is not running (the node is starting or stopping)"];
        }

        var hints = new List<string>();
        if (diagnosis.Links.Count == 0)
        {
            hints.Add(interfaces.Count > 0
                ? $"no suitable interface: none of {string.Join(", ", interfaces)} (Federation:Discovery:Interfaces) is up with multicast; check the names with 'ip link'"
                : "no suitable interface: no interface is up with multicast besides loopback; check 'ip link' and the cable or Wi-Fi");
        }

        foreach (var entry in diagnosis.Links)
        {
            var link = entry.Link;
            if (!link.JoinedIPv4 && !link.JoinedIPv6)
            {
                hints.Add($"{link.Name}: the multicast group could not be joined{(link.LastError is { } error ? $" ({error})" : "")}; check the interface has an address and multicast is on ('ip link show {link.Name}')");
            }
            else if (link.PacketsReceived == 0)
            {
                hints.Add($"no multicast traffic seen on {link.Name}: check the firewall allows UDP 5353 and the switch passes multicast");
            }

            // Sends that failed and were followed by ones that went (an IPv6 address still in
            // duplicate-address detection at start) leave the count but no error: no hint then.
            if (link.SendErrors > 0 && link.LastError is not null)
            {
                hints.Add($"{link.Name}: {link.SendErrors} send{(link.SendErrors == 1 ? "" : "s")} failed{(link.LastError is { } last ? $", the last with: {last}" : "")}; check for a multicast route ('ip route get 224.0.0.251')");
            }

            if (entry.Conflicts > 0)
            {
                hints.Add($"{link.Name}: {entry.Conflicts} name conflict{(entry.Conflicts == 1 ? "" : "s")}: another host answers for our name (a cloned identity?); the node renamed itself to {diagnosis.InstanceName ?? "(none)"}");
            }
        }

        return hints;
    }
}
