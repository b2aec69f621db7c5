using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Node.Daemon.Configuration;

/// <summary>
/// The JSON config file as configuration keys, read the way Microsoft.Extensions.Configuration.Json
/// reads it (comments and trailing commas allowed, an array's items as <c>Key:0</c>, <c>Key:1</c>…,
/// a duplicate key refused), except that JSON <c>null</c>, <c>{}</c> and <c>[]</c> all read as a
/// key without a value: the schema decides whether that is harmless (a section, a list) or a
/// mistake (a setting). The JSON reader gives <c>[]</c> as <c>""</c>, which hid an empty list.
/// </summary>
internal sealed class ConfigFileProvider : ConfigurationProvider, IConfigurationSource
{
    /// <summary>The largest config file read, in bytes: 1 MiB.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads <paramref name="path"/> at <see cref="Load"/>.</summary>
    public ConfigFileProvider(string path) => Path = path;

    /// <summary>The file's full path, as messages name it.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Reads the file.</summary>
    /// <exception cref="FileNotFoundException">It does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a JSON object, or is larger than <see cref="MaxBytes"/>.</exception>
    /// <exception cref="FormatException">A key appears twice.</exception>
    public override void Load()
    {
        byte[] bytes;
        using (var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
        {
            if (file.Length > MaxBytes)
            {
                throw new InvalidDataException($"it is {file.Length} bytes; a config file is at most {MaxBytes} bytes.");
            }

            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }

        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(bytes, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"its top level must be a JSON object {{ … }}; it is {Describe(document.RootElement.ValueKind)}.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                Visit(property.Value, property.Name, data);
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        Data = data;
    }

    private static void Visit(JsonElement element, string key, Dictionary<string, string?> data)
    {
        var children = 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Visit(property.Value, ConfigurationPath.Combine(key, property.Name), data);
                    children++;
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Visit(item, ConfigurationPath.Combine(key, children.ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                    children++;
                }

                break;
            default:
                Set(key, element.ValueKind == JsonValueKind.Null ? null : element.ToString(), data);
                return;
        }

        if (children == 0)
        {
            Set(key, null, data);
        }
    }

    private static void Set(string key, string? value, Dictionary<string, string?> data)
    {
        if (!data.TryAdd(key, value))
        {
            throw new FormatException($"A duplicate key '{key}' was found.");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}
