using System.Security.Cryptography;

namespace Node.Storage.Tests.Support;

/// <summary>Fingerprints of files, to show something was left byte-for-byte as it was.</summary>
public static class FileSnapshot
{
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Every file under <paramref name="directory"/>, as "relative path: SHA-256", sorted. A file
    /// another handle holds locked (an open store's node.lock) shows its length instead.
    /// </summary>
    public static IReadOnlyList<string> Of(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(file => $"{Path.GetRelativePath(directory, file)}: {Fingerprint(file)}")
            .Order(StringComparer.Ordinal)];

    private static string Fingerprint(string file)
    {
        try
        {
            return Sha256(file);
        }
        catch (IOException)
        {
            return $"locked, {new FileInfo(file).Length} bytes";
        }
    }
}
