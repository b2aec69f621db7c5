using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Node.Federation.Discovery.Dns;

/// <summary>
/// The data of a record. Two are equal when their uncompressed wire forms are equal, which is also
/// the order RFC 6762 §8.2 uses to break a tie between simultaneous probes.
/// </summary>
public abstract class DnsRecordData : IEquatable<DnsRecordData>
{
    private byte[]? _canonical;

    /// <summary>The record data uncompressed, as RFC 6762 §8.2 compares it.</summary>
    public ReadOnlySpan<byte> Canonical => _canonical ??= BuildCanonical();

    /// <summary>Writes the uncompressed record data.</summary>
    protected abstract byte[] BuildCanonical();

    /// <inheritdoc />
    public bool Equals(DnsRecordData? other) =>
        other is not null && (ReferenceEquals(this, other) || (GetType() == other.GetType() && CanonicalEquals(other)));

    /// <summary>Compared by canonical bytes; names inside compare ignoring ASCII case.</summary>
    protected virtual bool CanonicalEquals(DnsRecordData other) => Canonical.SequenceEqual(other.Canonical);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DnsRecordData);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Canonical);
        return hash.ToHashCode();
    }

    /// <summary>Writes a name uncompressed, as in <see cref="Canonical"/>.</summary>
    protected static void WriteName(List<byte> bytes, DnsName name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(name);
        foreach (var label in name.Labels)
        {
            var encoded = Encoding.UTF8.GetBytes(label);
            bytes.Add((byte)encoded.Length);
            bytes.AddRange(encoded);
        }

        bytes.Add(0);
    }
}

/// <summary>An A or AAAA record's address.</summary>
public sealed class AddressData : DnsRecordData
{
    /// <summary>An address record; a scope id on an IPv6 address is kept for use, not sent.</summary>
    public AddressData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException("Only IPv4 and IPv6 addresses have records.", nameof(address));
        }

        Address = address;
    }

    /// <summary>The address.</summary>
    public IPAddress Address { get; }

    /// <summary>A for IPv4, AAAA for IPv6.</summary>
    public DnsRecordType Type => Address.AddressFamily == AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.Aaaa;

    /// <inheritdoc />
    protected override byte[] BuildCanonical() => Address.GetAddressBytes();

    /// <inheritdoc />
    public override string ToString() => Address.ToString();
}

/// <summary>A PTR record's target.</summary>
public sealed class PointerData(DnsName target) : DnsRecordData
{
    /// <summary>The name pointed to.</summary>
    public DnsName Target { get; } = target ?? throw new ArgumentNullException(nameof(target));

    /// <inheritdoc />
    protected override byte[] BuildCanonical()
    {
        var bytes = new List<byte>(Target.WireLength);
        WriteName(bytes, Target);
        return [.. bytes];
    }

    /// <inheritdoc />
    protected override bool CanonicalEquals(DnsRecordData other) => Target.Equals(((PointerData)other).Target);

    /// <inheritdoc />
    public override int GetHashCode() => Target.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Target.ToString();
}

/// <summary>An SRV record: where a service instance runs (RFC 2782).</summary>
public sealed class ServiceData(ushort priority, ushort weight, ushort port, DnsName target) : DnsRecordData
{
    /// <summary>Lower is preferred.</summary>
    public ushort Priority { get; } = priority;

    /// <summary>Share among equal priorities.</summary>
    public ushort Weight { get; } = weight;

    /// <summary>The TCP port.</summary>
    public ushort Port { get; } = port;

    /// <summary>The host the service runs on.</summary>
    public DnsName Target { get; } = target ?? throw new ArgumentNullException(nameof(target));

    /// <inheritdoc />
    protected override byte[] BuildCanonical()
    {
        var bytes = new List<byte>(6 + Target.WireLength)
        {
            (byte)(Priority >> 8), (byte)Priority, (byte)(Weight >> 8), (byte)Weight, (byte)(Port >> 8), (byte)Port,
        };
        WriteName(bytes, Target);
        return [.. bytes];
    }

    /// <inheritdoc />
    protected override bool CanonicalEquals(DnsRecordData other) =>
        other is ServiceData s && s.Priority == Priority && s.Weight == Weight && s.Port == Port && s.Target.Equals(Target);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Priority, Weight, Port, Target);

    /// <inheritdoc />
    public override string ToString() => $"{Priority} {Weight} {Port} {Target}";
}

/// <summary>A TXT record: character strings, each at most 255 bytes (RFC 6763 §6 key=value).</summary>
public sealed class TextData : DnsRecordData
{
    private readonly byte[][] _strings;

    /// <summary>A TXT record of these strings; none is written as one empty string (RFC 6763 §6.1).</summary>
    public TextData(IEnumerable<byte[]> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        _strings = strings.Select(s => s.Length <= 255 ? s.ToArray() : throw new ArgumentException("A TXT string is at most 255 bytes.", nameof(strings))).ToArray();
    }

    /// <summary>The strings as sent.</summary>
    public IReadOnlyList<byte[]> Strings => _strings;

    /// <summary>A TXT record of <c>key=value</c> pairs, UTF-8.</summary>
    public static TextData FromPairs(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new(pairs.Select(p => Encoding.UTF8.GetBytes($"{p.Key}={p.Value}")));

    /// <summary>
    /// The key=value pairs (RFC 6763 §6.3–6.4): keys compare ignoring case, the first of a repeated
    /// key wins, a string without '=' is a key with an empty value, an empty key is skipped.
    /// </summary>
    public IReadOnlyDictionary<string, string> Pairs()
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in _strings)
        {
            var text = Encoding.UTF8.GetString(s);
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? text : text[..eq];
            if (key.Length > 0)
            {
                pairs.TryAdd(key, eq < 0 ? "" : text[(eq + 1)..]);
            }
        }

        return pairs;
    }

    /// <inheritdoc />
    protected override byte[] BuildCanonical()
    {
        if (_strings.Length == 0)
        {
            return [0];
        }

        var bytes = new List<byte>();
        foreach (var s in _strings)
        {
            bytes.Add((byte)s.Length);
            bytes.AddRange(s);
        }

        return [.. bytes];
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', _strings.Select(s => $"\"{Encoding.UTF8.GetString(s)}\""));
}

/// <summary>An NSEC record as mDNS uses it (RFC 6762 §6.1): which types exist for a name.</summary>
public sealed class NsecData : DnsRecordData
{
    /// <summary>An NSEC record naming <paramref name="next"/> (the owner itself in mDNS) and the types that exist.</summary>
    public NsecData(DnsName next, IEnumerable<DnsRecordType> types)
    {
        NextName = next ?? throw new ArgumentNullException(nameof(next));
        ArgumentNullException.ThrowIfNull(types);
        Types = types.Distinct().Order().ToArray();
    }

    /// <summary>The next name; mDNS puts the owner name here.</summary>
    public DnsName NextName { get; }

    /// <summary>The types present, ascending.</summary>
    public IReadOnlyList<DnsRecordType> Types { get; }

    /// <inheritdoc />
    protected override byte[] BuildCanonical()
    {
        var bytes = new List<byte>();
        WriteName(bytes, NextName);
        foreach (var window in Types.GroupBy(t => (ushort)t >> 8))
        {
            var bitmap = new byte[32];
            var length = 0;
            foreach (var type in window)
            {
                var low = (ushort)type & 0xFF;
                bitmap[low >> 3] |= (byte)(0x80 >> (low & 7));
                length = Math.Max(length, (low >> 3) + 1);
            }

            bytes.Add((byte)window.Key);
            bytes.Add((byte)length);
            bytes.AddRange(bitmap.AsSpan(0, length).ToArray());
        }

        return [.. bytes];
    }

    /// <inheritdoc />
    public override string ToString() => $"{NextName} {string.Join(' ', Types)}";
}

/// <summary>The data of a record type this codec does not model, kept as bytes.</summary>
public sealed class OpaqueData(ReadOnlySpan<byte> data) : DnsRecordData
{
    private readonly byte[] _data = data.ToArray();

    /// <summary>The bytes as received.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <inheritdoc />
    protected override byte[] BuildCanonical() => _data;

    /// <inheritdoc />
    public override string ToString() => Convert.ToHexString(_data);
}
