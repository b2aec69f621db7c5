using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Node.Cli.Output;

/// <summary>JSON written member by member with <see cref="Utf8JsonWriter"/> (no reflection, so native AOT keeps it).</summary>
internal static class JsonText
{
    // Output goes to terminals, files and pipes, never into HTML: keep é and < as they are.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One object, on one line, of the members <paramref name="members"/> writes.</summary>
    public static string Object(Action<Utf8JsonWriter> members) => Value(writer =>
    {
        writer.WriteStartObject();
        members(writer);
        writer.WriteEndObject();
    });

    /// <summary>The one JSON value <paramref name="write"/> writes, on one line.</summary>
    public static string Value(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes <paramref name="values"/> as an array named <paramref name="name"/>.</summary>
    public static void WriteStrings(this Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
