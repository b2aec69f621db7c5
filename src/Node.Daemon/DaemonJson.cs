using System.Text.Json.Serialization;

namespace Node.Daemon;

/// <summary>Source-generated JSON for what the daemon writes (trim-safe).</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class DaemonJson : JsonSerializerContext;
