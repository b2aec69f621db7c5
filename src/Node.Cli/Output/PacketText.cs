using System.Text;
using Node.Protocol.Api;

namespace Node.Cli.Output;

/// <summary>How a packet reads in text: a row of a list, or a header and its content.</summary>
internal static class PacketText
{
    /// <summary>seq, id (12), kind, topic, key, author (first group), time.</summary>
    public static string[] Row(KnowledgePacket packet) =>
    [
        packet.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Display.Prefix(packet.Id, 12),
        CliNames.Kinds.NameOf(packet.Kind),
        Display.OneLine(packet.Topic),
        Display.OneLine(packet.Key),
        Display.Prefix(packet.Author, 7),
        Display.Time(packet.Time),
    ];

    /// <summary>Header lines, a blank line, then the content when it is text (else how long it is).</summary>
    public static string Describe(KnowledgePacket packet)
    {
        var text = new StringBuilder();
        void Line(string name, string value) => text.Append($"{name,-12}{Display.OneLine(value)}\n");

        Line("id", packet.Id);
        Line("seq", packet.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Line("kind", CliNames.Kinds.NameOf(packet.Kind));
        Line("topic", packet.Topic);
        Line("key", packet.Key);
        Line("author", packet.Author);
        if (packet.Origin.Length > 0 && packet.Origin != packet.Author)
        {
            Line("origin", packet.Origin);
        }

        Line("scope", CliNames.Scopes.NameOf(packet.Scope));
        Line("media type", packet.MediaType);
        Line("time", $"{Display.Time(packet.Time)} (hlc {packet.Hlc})");
        Line("received", Display.Time(packet.ReceivedAt));
        if (packet.Dependencies.Count > 0)
        {
            Line("depends on", string.Join(", ", packet.Dependencies));
        }

        if (packet.Supersedes.Count > 0)
        {
            Line("supersedes", string.Join(", ", packet.Supersedes));
        }

        if (packet.Contenders.Count > 0)
        {
            Line("contenders", $"{string.Join(", ", packet.Contenders)} (a contradiction: they fill the same slot)");
        }

        text.Append('\n');
        if (Display.TryText(packet.MediaType, packet.Content.Span, out var raw))
        {
            var content = Display.Lines(raw);
            text.Append(content);
            if (content.Length > 0 && content[^1] != '\n')
            {
                text.Append('\n');
            }
        }
        else
        {
            text.Append($"({packet.Content.Length} bytes of {packet.MediaType}: --json shows them as contentBase64)\n");
        }

        return text.ToString();
    }
}
