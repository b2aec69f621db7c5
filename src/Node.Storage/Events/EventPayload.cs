using System.Text.Json;

namespace Node.Storage.Events;

/// <summary>Compact JSON payloads for event-log entries, written without reflection.</summary>
public static class EventPayload
{
    /// <summary>A JSON object of <paramref name="fields"/>: numbers as numbers, lists of text as arrays, anything else as text; null fields left out.</summary>
    public static byte[] Of(params (string Name, object? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                switch (value)
                {
                    case null:
                        break;
                    case long number:
                        writer.WriteNumber(name, number);
                        break;
                    case int number:
                        writer.WriteNumber(name, number);
                        break;
                    case IEnumerable<string> texts:
                        writer.WriteStartArray(name);
                        foreach (var text in texts)
                        {
                            writer.WriteStringValue(text);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        writer.WriteString(name, value.ToString());
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
