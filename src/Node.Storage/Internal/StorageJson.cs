using System.Text.Json.Serialization;

namespace Node.Storage;

/// <summary>Source-generated JSON for event payloads (trim-safe).</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class StorageJson : JsonSerializerContext;
