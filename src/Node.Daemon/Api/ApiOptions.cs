namespace Node.Daemon.Api;

/// <summary>The local control API (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Api";

    /// <summary>The API's Unix socket. Defaults to <c>$RUNTIME_DIRECTORY/api.sock</c> under systemd, else <c>&lt;data-dir&gt;/api.sock</c>.</summary>
    public string Socket { get; set; } = "";
}
