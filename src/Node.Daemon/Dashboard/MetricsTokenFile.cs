using System.Text;

namespace Node.Daemon.Dashboard;

/// <summary>
/// The bearer token of <c>/metrics</c>, kept in <see cref="FileName"/> (mode 0600) beside <c>identity.key</c>, so the
/// token Prometheus was given still works after a restart. A file that others may read, or that does not hold a
/// token, is replaced by a new token: a token that may have been seen is a token to change.
/// </summary>
internal static class MetricsTokenFile
{
    /// <summary>The file's name in the state directory.</summary>
    public const string FileName = "metrics.token";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The token kept in <paramref name="directory"/>, or a new one written there.</summary>
    /// <returns>The token, and why a new one was made (null when the kept one was used, or on first start).</returns>
    /// <exception cref="IOException">The file is not a regular file, or the token cannot be written.</exception>
    public static (string Token, string? Renewed) LoadOrCreate(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var path = Path.Combine(directory, FileName);
        if (!Node.Storage.FileKinds.IsRegularOrMissing(path, out var problem))
        {
            throw new IOException($"{problem}: the metrics token must be a regular file; move it away and the node makes a new token.");
        }

        string? renewed = null;
        if (File.Exists(path))
        {
            if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
            {
                renewed = $"{path} could be read by others";
            }
            else
            {
                var kept = File.ReadAllText(path, Encoding.UTF8).Trim();
                if (DashboardSecrets.IsWellFormed(kept))
                {
                    return (kept, null);
                }

                renewed = $"{path} does not hold a token";
            }
        }

        var token = DashboardSecrets.New();
        Node.Storage.Durable.WriteFile(path, Encoding.UTF8.GetBytes(token + "\n"), OwnerOnly);
        return (token, renewed);
    }
}
