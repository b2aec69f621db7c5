using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using Node.Federation.Identity;
using Node.Federation.Link.Tls;

namespace Node.Federation.Link;

/// <summary>This node's signed manifest as it stands: the envelope bytes sent in Hello and its hash announced in mDNS TXT.</summary>
/// <param name="Envelope">The manifest.v1 envelope, exactly as signed.</param>
/// <param name="Sha256">SHA-256 of <paramref name="Envelope"/>.</param>
/// <param name="Port">The peer port it names.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="ExpiresAt">When peers stop accepting it.</param>
public sealed record IssuedManifest(byte[] Envelope, byte[] Sha256, int Port, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>The hash as lowercase hex (the TXT record's <c>manifest=</c>).</summary>
    public string Hash => Convert.ToHexStringLower(Sha256);
}

/// <summary>
/// Issues this node's manifest (docs/protocol.md, "Peer manifests"): when the peer listener has
/// bound its port, and again when the port, the addresses or the certificate change, or when it is
/// past half its lifetime (7 days). Each issue is later than the one before, so peers keep the
/// newest; thread-safe.
/// </summary>
public sealed class LocalManifest(IdentityHost identity, PeerCertificate certificate, TimeProvider time, string name, string softwareVersion)
{
    /// <summary>How long a manifest is valid: 7 days (peers refuse it after that).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>What this node offers, as its manifest lists it.</summary>
    public static IReadOnlyList<string> Capabilities { get; } = ["peer.v1", "query.v1"];

    private readonly Lock _lock = new();
    private IssuedManifest? _current;
    private string _addresses = "";
    private HashSet<string>? _formerIds;

    /// <summary>The manifest in force; null until the listener bound its port.</summary>
    public IssuedManifest? Current => Volatile.Read(ref _current);

    /// <summary>This node's id.</summary>
    public NodeId NodeId => identity.Identity.Id;

    /// <summary>The rotation statements from this node's older ids to its current one, oldest first (at most 4): sent in Hello and HelloReply.</summary>
    public IReadOnlyList<byte[]> Rotations => identity.Rotations;

    /// <summary>The older ids <see cref="Rotations"/> lead from (written form): a dialler may still expect this node under one of them.</summary>
    public IReadOnlySet<string> FormerIds => _formerIds ??= identity.Rotations.Select(s => KeyRotations.Verify(s))
        .Where(c => c.IsValid).Select(c => c.OldId.ToString()).ToHashSet(StringComparer.Ordinal);

    /// <summary>The node's transport certificate.</summary>
    public PeerCertificate Certificate => certificate;

    /// <summary>Raised after a new manifest was issued (not on the first).</summary>
    public event Action<IssuedManifest>? Reissued;

    /// <summary>
    /// Issues the manifest for <paramref name="port"/> when there is none, the port or the node's
    /// addresses changed, or the current one is past half its lifetime; otherwise keeps it.
    /// </summary>
    /// <returns>The manifest in force.</returns>
    public IssuedManifest Refresh(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var addresses = LanAddresses();
        IssuedManifest issued;
        bool again;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var current = _current;
            var joined = string.Join('\n', addresses);
            if (current is not null && current.Port == port && joined == _addresses && now < current.IssuedAt + Lifetime / 2)
            {
                return current;
            }

            var envelope = PeerManifests.Sign(identity.Identity, new ManifestInfo(name, addresses, port, Capabilities, softwareVersion, certificate.Sha256),
                new NotBefore(time, current?.IssuedAt), Lifetime);
            var signed = Node.Protocol.Packets.PeerManifest.Parser.ParseFrom(Node.Protocol.Packets.Envelope.Parser.ParseFrom(envelope).Payload);
            issued = new IssuedManifest(envelope, SHA256.HashData(envelope), port,
                DateTimeOffset.FromUnixTimeMilliseconds(signed.IssuedAt), DateTimeOffset.FromUnixTimeMilliseconds(signed.ExpiresAt));
            again = current is not null;
            _addresses = joined;
            Volatile.Write(ref _current, issued);
        }

        if (again)
        {
            Reissued?.Invoke(issued);
        }

        return issued;
    }

    /// <summary>
    /// The node's unicast addresses on interfaces that are up, loopback excluded, IPv4 first; IPv6
    /// link-local ones with their interface (<c>fe80::1%eth0</c>). At most <see cref="PeerManifests.MaxListItems"/>.
    /// </summary>
    public static IReadOnlyList<string> LanAddresses()
    {
        var found = new List<(int Family, string Text)>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var address = unicast.Address;
                    if (System.Net.IPAddress.IsLoopback(address))
                    {
                        continue;
                    }

                    var text = address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv6LinkLocal
                        ? $"{new System.Net.IPAddress(address.GetAddressBytes())}%{nic.Name}"
                        : address.ToString();
                    found.Add((address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1, text));
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list: the manifest names no addresses; peers reach us where they found us.
        }

        return [.. found.OrderBy(a => a.Family).ThenBy(a => a.Text, StringComparer.Ordinal).Select(a => a.Text).Distinct(StringComparer.Ordinal)
            .Take(PeerManifests.MaxListItems)];
    }

    // A clock that never goes back past the last issue: a reissue after the wall clock stepped back
    // still comes out newer than the manifest peers hold.
    private sealed class NotBefore(TimeProvider time, DateTimeOffset? last) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow()
        {
            var now = time.GetUtcNow();
            return last is { } l && now <= l ? l.AddMilliseconds(1) : now;
        }
    }
}
