using Microsoft.Extensions.Configuration;

namespace Node.Daemon.Configuration;

/// <summary>
/// Which configuration keys hold secrets, so their values never reach a log line, an error or
/// <c>systemctl status</c>: any key with a path segment naming a key, secret, password,
/// passphrase or token (<c>Api:Keys:0</c>, <c>Backup:Passphrase</c>).
/// </summary>
public static class ConfigurationSecrets
{
    private static readonly string[] Markers = ["key", "secret", "password", "passphrase", "token"];

    /// <summary>Whether <paramref name="key"/> holds a secret.</summary>
    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Split(ConfigurationPath.KeyDelimiter).Any(segment =>
            Markers.Any(marker => segment.Contains(marker, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The value as it may be shown: quoted, or <c>(redacted)</c> for a secret.</summary>
    public static string Show(string key, string? value) =>
        value is null ? "(unset)" : IsSecret(key) ? "(redacted)" : $"'{value}'";
}
