using System.Diagnostics.CodeAnalysis;

namespace Node.Storage;

/// <summary>
/// The node's state directory: where the database, keys and (in development) logs and the
/// API socket live. Installed, systemd's <c>StateDirectory=</c> makes it; in development the
/// node makes it itself.
/// </summary>
public static class StateDirectory
{
    /// <summary>Mode of a state directory the node creates: owner only, since it holds private keys.</summary>
    public const UnixFileMode CreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Makes <paramref name="path"/> if it is missing (mode 0700) and proves it writable by
    /// creating and removing a probe file. An existing directory's mode is left here; the store
    /// takes group and other permissions off when it opens (<see cref="NodeStore.Open"/>).
    /// </summary>
    /// <param name="path">The directory, absolute or relative to the working directory.</param>
    /// <param name="error">Why it cannot be used, naming the path; <see langword="null"/> on success.</param>
    /// <param name="what">How the error names the directory.</param>
    /// <returns><see langword="true"/> when the directory exists and is writable.</returns>
    public static bool TryPrepare(string path, [NotNullWhen(false)] out string? error, string what = "State directory")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        try
        {
            if (File.Exists(full))
            {
                error = $"{what} {full} is a file, not a directory.";
                return false;
            }

            if (!Directory.Exists(full))
            {
                Directory.CreateDirectory(full, CreateMode);
            }

            var probe = Path.Combine(full, $".write-probe-{Environment.ProcessId}");
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            error = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"{what} {full} is not usable: {ex.Message}";
            return false;
        }
    }
}
