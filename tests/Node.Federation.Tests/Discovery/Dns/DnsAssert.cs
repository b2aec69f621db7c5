using Node.Federation.Discovery.Dns;

namespace Node.Federation.Tests.Discovery.Dns;

internal static class DnsAssert
{
    public static void SameMessage(DnsMessage expected, DnsMessage actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.Questions, actual.Questions);
        Assert.Equal(expected.Answers, actual.Answers);
        Assert.Equal(expected.Authorities, actual.Authorities);
        Assert.Equal(expected.Additionals, actual.Additionals);
    }

    public static DnsMessage Parses(ReadOnlySpan<byte> packet)
    {
        Assert.True(DnsMessage.TryParse(packet, out var message, out var error), error);
        return message;
    }

    public static DnsMessage RoundTrips(DnsMessage message)
    {
        var read = Parses(message.ToArray());
        SameMessage(message, read);
        return read;
    }

    /// <summary>Asserts the packet is read with exactly one entry left out, for <paramref name="reason"/>; returns what was read.</summary>
    public static DnsMessage Skipped(ReadOnlySpan<byte> packet, string reason)
    {
        var message = Parses(packet);
        Assert.Equal([reason], message.Skipped);
        return message;
    }

    /// <summary>Asserts the packet is refused with exactly <paramref name="error"/>.</summary>
    public static void Refused(ReadOnlySpan<byte> packet, string error)
    {
        Assert.False(DnsMessage.TryParse(packet, out var message, out var actual));
        Assert.Null(message);
        Assert.Equal(error, actual);
    }
}
