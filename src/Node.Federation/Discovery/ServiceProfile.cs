using System.Globalization;
using Node.Federation.Discovery.Dns;
using Node.Federation.Identity;

namespace Node.Federation.Discovery;

/// <summary>
/// What this node announces as <c>_sovereign._tcp.local</c>. The instance and host names derive
/// from the node id, so two nodes booted from cloned images never claim the same names.
/// </summary>
/// <param name="NodeId">This node's id.</param>
/// <param name="Port">The peer port (TLS gRPC).</param>
/// <param name="ManifestHash">Hex SHA-256 of the node's signed manifest, or null while it issues none.</param>
/// <param name="Name">The node's human-readable name (<c>Node:Name</c>), or null; peers show it in their lists.</param>
public sealed record ServiceProfile(NodeId NodeId, int Port, string? ManifestHash = null, string? Name = null)
{
    /// <summary>The service type, a contract (ARCHITECTURE.md).</summary>
    public static DnsName ServiceType { get; } = DnsName.Parse("_sovereign._tcp.local");

    /// <summary>The protocol version the TXT record carries (<c>proto=</c>).</summary>
    public const int ProtocolVersion = 1;

    /// <summary>TXT keys (RFC 6763 §6): the TXT record's own version, the node id, the protocol version, the manifest hash, the node's name.</summary>
    public const string TxtVersionKey = "txtvers", NodeIdKey = "id", ProtocolKey = "proto", ManifestKey = "manifest", NameKey = "name";

    /// <summary>Longest name carried in TXT, in characters (as <c>Node:Name</c> allows).</summary>
    public const int MaxNameLength = 64;

    /// <summary>The instance label for rename attempt <paramref name="attempt"/> (1 = the plain node id, 2 = "… (2)", RFC 6762 §9).</summary>
    public string InstanceLabel(int attempt = 1) =>
        attempt <= 1 ? NodeId.ToString() : string.Create(CultureInfo.InvariantCulture, $"{NodeId} ({attempt})");

    /// <summary>The host label for rename attempt <paramref name="attempt"/>: <c>sovereign-&lt;id&gt;</c>, then <c>…-2</c>.</summary>
    public string HostLabel(int attempt = 1)
    {
        var id = NodeId.ToString().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return attempt <= 1 ? $"sovereign-{id}" : string.Create(CultureInfo.InvariantCulture, $"sovereign-{id}-{attempt}");
    }

    /// <summary>
    /// Whether <paramref name="name"/> may be shown as a node's name: 1 to 64 characters, no control
    /// characters, no surrounding spaces. A name in a peer's TXT is untrusted and checked the same way.
    /// </summary>
    public static bool IsUsableName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && !name.Any(char.IsControl) && name.Trim().Length == name.Length;

    /// <summary>The full instance name for rename attempt <paramref name="attempt"/>: <c>&lt;label&gt;._sovereign._tcp.local</c>.</summary>
    public DnsName Instance(int attempt = 1) => ServiceType.Prepend(InstanceLabel(attempt));

    /// <summary>The host name for rename attempt <paramref name="attempt"/>: <c>sovereign-&lt;id&gt;.local</c>.</summary>
    public DnsName Host(int attempt = 1) => DnsName.Of(HostLabel(attempt), "local");

    /// <summary>The TXT pairs announced.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> TxtPairs()
    {
        List<KeyValuePair<string, string>> pairs =
        [
            new(TxtVersionKey, "1"),
            new(NodeIdKey, NodeId.ToString()),
            new(ProtocolKey, ProtocolVersion.ToString(CultureInfo.InvariantCulture)),
        ];
        if (ManifestHash is { Length: > 0 })
        {
            pairs.Add(new(ManifestKey, ManifestHash));
        }

        if (IsUsableName(Name))
        {
            pairs.Add(new(NameKey, Name));
        }

        return pairs;
    }
}
