using System.Text.Json;

namespace Node.Reasoning.Memory;

/// <summary>
/// What Joey counts of a knowledge packet: decision and insight packets whose JSON content names a
/// <c>subject</c> and a <c>direction</c> lean that way on that subject. This node's own decisions
/// are left out (they are its own conclusions, counted already). Pure; never throws on bad content.
/// </summary>
public static class PacketLean
{
    /// <summary>Content past this size is not read (a lean is a few fields).</summary>
    public const int MaxContentBytes = 64 * 1024;

    /// <summary>Longest subject taken.</summary>
    public const int MaxSubjectLength = 128;

    /// <summary>
    /// The lean of a packet of <paramref name="kind"/> (<c>decision</c>, <c>insight</c>…) by
    /// <paramref name="author"/>, as this node counts it (<paramref name="isSelf"/>: whether an author
    /// is this node, under its current id or one it rotated away from).
    /// </summary>
    /// <returns>False when it is not a lean Joey counts.</returns>
    public static bool TryRead(string kind, string author, Func<string, bool> isSelf, ReadOnlySpan<byte> content, out string subject, out int direction)
    {
        ArgumentNullException.ThrowIfNull(isSelf);
        subject = "";
        direction = 0;
        var decision = kind == "decision";
        if (!(decision || kind == "insight") || (decision && isSelf(author)) || content.Length > MaxContentBytes)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(content, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSubject = reader.ValueTextEquals("subject"u8);
                var isDirection = reader.ValueTextEquals("direction"u8);
                reader.Read();
                if (isSubject && reader.TokenType == JsonTokenType.String)
                {
                    subject = reader.GetString() ?? "";
                }
                else if (isDirection && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
                {
                    direction = Math.Sign(value);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8: the reader finds it only when asked for the string.
            return false;
        }

        return subject.Length is > 0 and <= MaxSubjectLength && direction != 0;
    }
}
