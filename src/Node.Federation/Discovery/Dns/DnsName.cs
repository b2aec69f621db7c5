using System.Text;

namespace Node.Federation.Discovery.Dns;

/// <summary>
/// A domain name as its labels, e.g. <c>MW3AM46-… · _sovereign · _tcp · local</c>. A label may hold
/// any UTF-8, dots and spaces included (service instance names do, RFC 6763 §4.3). Compared ignoring
/// ASCII case, as DNS does; immutable.
/// </summary>
public sealed class DnsName : IEquatable<DnsName>
{
    /// <summary>Longest label on the wire, in bytes.</summary>
    public const int MaxLabelBytes = 63;

    /// <summary>Longest name on the wire, in bytes, with its length octets and the root.</summary>
    public const int MaxWireBytes = 255;

    private readonly string[] _labels;
    private string? _text;
    private int _hash;

    private DnsName(string[] labels) => _labels = labels;

    /// <summary>The root name (no labels).</summary>
    public static DnsName Root { get; } = new([]);

    /// <summary>The labels, first (most specific) first.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Bytes this name takes uncompressed on the wire.</summary>
    public int WireLength => 1 + _labels.Sum(l => 1 + Encoding.UTF8.GetByteCount(l));

    /// <summary>
    /// Makes a name of <paramref name="labels"/>; false, with <paramref name="error"/> saying why,
    /// when a label is empty or longer than 63 bytes, or the name longer than 255.
    /// </summary>
    public static bool TryCreate(IEnumerable<string> labels, out DnsName name, out string? error)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var list = labels.ToArray();
        name = Root;
        var total = 1;
        foreach (var label in list)
        {
            var bytes = Encoding.UTF8.GetByteCount(label);
            if (bytes is 0 or > MaxLabelBytes)
            {
                error = $"label '{label}' must be 1 to {MaxLabelBytes} bytes; was {bytes}";
                return false;
            }

            total += 1 + bytes;
        }

        if (total > MaxWireBytes)
        {
            error = $"name must be at most {MaxWireBytes} bytes on the wire; was {total}";
            return false;
        }

        name = new DnsName(list);
        error = null;
        return true;
    }

    /// <summary>Makes a name of labels that are known to be valid; throws <see cref="ArgumentException"/> if not.</summary>
    public static DnsName Of(params string[] labels) =>
        TryCreate(labels, out var name, out var error) ? name : throw new ArgumentException($"Not a DNS name: {error}.", nameof(labels));

    /// <summary>
    /// Parses dotted text (<c>_sovereign._tcp.local</c>); a trailing dot is allowed. Labels cannot
    /// contain dots this way: use <see cref="Of"/> or <see cref="Prepend"/> for instance names.
    /// </summary>
    public static DnsName Parse(string dotted)
    {
        ArgumentNullException.ThrowIfNull(dotted);
        var trimmed = dotted.EndsWith('.') ? dotted[..^1] : dotted;
        return trimmed.Length == 0 ? Root : Of(trimmed.Split('.'));
    }

    /// <summary>This name with <paramref name="label"/> in front (an instance under a service type).</summary>
    public DnsName Prepend(string label) => Of([label, .. _labels]);

    /// <summary>The name without its first label; the root stays the root.</summary>
    public DnsName Parent() => _labels.Length == 0 ? this : new DnsName(_labels[1..]);

    /// <summary>Whether this name ends with <paramref name="suffix"/> (or is it).</summary>
    public bool EndsWith(DnsName suffix)
    {
        ArgumentNullException.ThrowIfNull(suffix);
        if (suffix._labels.Length > _labels.Length)
        {
            return false;
        }

        var offset = _labels.Length - suffix._labels.Length;
        for (var i = 0; i < suffix._labels.Length; i++)
        {
            if (!LabelEquals(_labels[offset + i], suffix._labels[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Equal ignoring ASCII case only (RFC 4343); other characters compare exactly.</summary>
    public bool Equals(DnsName? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._labels.Length != _labels.Length)
        {
            return false;
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            if (!LabelEquals(_labels[i], other._labels[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DnsName);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var hash = new HashCode();
            foreach (var label in _labels)
            {
                foreach (var c in label)
                {
                    hash.Add(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
                }

                hash.Add('.');
            }

            _hash = hash.ToHashCode() | 1;
        }

        return _hash;
    }

    /// <summary>Dotted text with dots and backslashes inside labels escaped (<c>\.</c>), no trailing dot.</summary>
    public override string ToString() =>
        _text ??= string.Join('.', _labels.Select(l => l.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(".", "\\.", StringComparison.Ordinal)));

    /// <summary>Equality as for <see cref="Equals(DnsName?)"/>.</summary>
    public static bool operator ==(DnsName? left, DnsName? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality as for <see cref="Equals(DnsName?)"/>.</summary>
    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    internal static bool LabelEquals(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y)
            {
                continue;
            }

            if ((uint)((x | 0x20) - 'a') > 'z' - 'a' || (x | 0x20) != (y | 0x20))
            {
                return false;
            }
        }

        return true;
    }
}
