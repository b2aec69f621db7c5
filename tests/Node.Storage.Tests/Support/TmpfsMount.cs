namespace Node.Storage.Tests.Support;

/// <summary>
/// A size-limited tmpfs mounted on a directory (needs root): a real disk that fills. Unmounted on
/// dispose, lazily if something still holds it, so a failing test never leaves a mount behind.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private bool _mounted;

    private TmpfsMount(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount's syntax: "3m") on <paramref name="path"/>, made if missing.</summary>
    public static TmpfsMount Mount(string path, string size)
    {
        Directory.CreateDirectory(path);
        ChildProcess.RunChecked("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", path);
        return new TmpfsMount(path) { _mounted = true };
    }

    /// <summary>Grows (or shrinks) the mounted file system to <paramref name="size"/>.</summary>
    public void Resize(string size) => ChildProcess.RunChecked("mount", "-o", $"remount,size={size}", Path);

    public void Dispose()
    {
        if (!_mounted)
        {
            return;
        }

        _mounted = false;
        if (ChildProcess.Run("umount", Path).ExitCode != 0)
        {
            ChildProcess.RunChecked("umount", "-l", Path);
        }
    }
}
